import { TopicError } from '../../errors.js';
import type { TopicPartition } from '../types.js';

/** Kafka's longest topic name, in characters. */
const MAX_TOPIC_LENGTH = 249;

/** Namespaces are 1–64 characters of [a-zA-Z0-9_-]: no '.', so no namespace is a prefix of another's names. */
export const NAMESPACE_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * The names a KafkaLog uses on the wire (`KafkaLogOptions.namespace`). With a namespace `ns`,
 * topic `t` is the broker's topic `ns.t`, consumer group `g` is the group `ns.g` and
 * transactional id `x` is `ns.x`; names coming back from the broker are stripped again, and
 * topics outside `ns.` are invisible. Without a namespace every name is used as is.
 *
 * The separator is '.', which a namespace cannot contain: `a.b.t` belongs to namespace `a` only,
 * so two namespaces never share a topic, a group or a transactional id.
 */
export class KafkaNamespace {
  /** `<namespace>.`, or '' without a namespace. */
  readonly prefix: string;

  constructor(namespace: string) {
    this.prefix = namespace === '' ? '' : `${namespace}.`;
  }

  /** The broker's name of topic `name`; TypeError when the prefix makes it longer than Kafka allows. */
  topic(name: string): string {
    if (this.prefix === '') return name;
    const wire = this.prefix + name;
    if (wire.length > MAX_TOPIC_LENGTH) {
      throw new TypeError(`topic name ${JSON.stringify(name)} is too long for namespace ${JSON.stringify(this.prefix.slice(0, -1))}: at most ${MAX_TOPIC_LENGTH - this.prefix.length} characters`);
    }
    return wire;
  }

  /** The broker's consumer group id for `groupId`. */
  group(groupId: string): string {
    return this.prefix + groupId;
  }

  /** The broker's transactional id for `transactionalId`. */
  transactionalId(transactionalId: string): string {
    return this.prefix + transactionalId;
  }

  /** `tp` with the broker's topic name. */
  tp<T extends TopicPartition>(tp: T): T {
    return this.prefix === '' ? tp : { ...tp, topic: this.topic(tp.topic) };
  }

  /** The name of broker topic `wire` in this namespace, or undefined when it lies outside it. */
  local(wire: string): string | undefined {
    if (this.prefix === '') return wire;
    return wire.startsWith(this.prefix) ? wire.slice(this.prefix.length) : undefined;
  }

  /** Like `local`, for a topic known to be inside the namespace (one this log subscribed to or wrote). */
  localTopic(wire: string): string {
    return this.local(wire) ?? wire;
  }

  /** Renames, in place, the topic of records or metadata this log has just built from a broker answer. */
  localize<T extends { topic: string }>(items: T[]): T[] {
    if (this.prefix !== '') for (const item of items) item.topic = this.localTopic(item.topic);
    return items;
  }

  /**
   * `err` with its `topic` field in this namespace's terms (a TopicError about `ns.t` reports
   * `t`); its code, message, `retriable` and `cause` are kept. Anything else passes through.
   */
  localError(err: unknown): unknown {
    if (this.prefix === '' || !(err instanceof TopicError)) return err;
    const local = this.local(err.topic);
    if (local === undefined) return err;
    const where = err.partition === undefined ? { topic: local } : { topic: local, partition: err.partition };
    const copy = new TopicError(err.code, err.message, where, { cause: err.cause, retriable: err.retriable });
    if (err.stack !== undefined) copy.stack = err.stack;
    return copy;
  }
}
