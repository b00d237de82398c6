import { randomUUID } from 'node:crypto';
import type { Log, RecordMetadata } from '@parley/streams';
import { CommunicationError } from '../errors.js';
import type { CommunicationReadModel } from '../read-model/communication-read-model.js';
import type { ListedAggregate } from '../read-model/conversation-index.js';
import { communicationSerdes, type CommunicationSerdes } from '../serdes.js';

/** What the command writers need: the log to append to and the read model to check against. */
export interface CommandContext {
  log: Pick<Log, 'append'>;
  readModel: CommunicationReadModel;
  /** Default: one `communicationSerdes()` per context. */
  serdes?: CommunicationSerdes;
  /** The clock, ms since the epoch; default Date.now. Stamps records and metadata. */
  now?: () => number;
  /** New ids for outbound messages, tags and templates; default crypto.randomUUID. */
  newId?: () => string;
  /**
   * How long a command on a conversation the read model does not list yet waits for it, in ms;
   * default 5000. Each command waits on its own, so one missing conversation holds up no other.
   */
  conversationWaitMs?: number;
  /**
   * Resolves true once everything in the log when called has been processed (see
   * `waitForLogProcessed`), false after `timeoutMs`. With it, a command on a conversation that
   * is not listed answers 404 as soon as nothing for it can be pending; without it, it waits
   * `conversationWaitMs`.
   */
  logProcessed?: (timeoutMs: number) => Promise<boolean>;
}

/** What a command appended: hand the offsets to `waitForOffsets` for read-your-writes. */
export interface WriteResult {
  offsets: RecordMetadata[];
}

/** Default wait for a conversation that is not materialized yet, in ms. */
export const DEFAULT_CONVERSATION_WAIT_MS = 5000;

const serdesCache = new WeakMap<CommandContext, CommunicationSerdes>();

export function serdesOf(context: CommandContext): CommunicationSerdes {
  if (context.serdes !== undefined) return context.serdes;
  let serdes = serdesCache.get(context);
  if (serdes === undefined) {
    serdes = communicationSerdes();
    serdesCache.set(context, serdes);
  }
  return serdes;
}

export function nowOf(context: CommandContext): number {
  return (context.now ?? Date.now)();
}

export function newIdOf(context: CommandContext): string {
  return (context.newId ?? randomUUID)();
}

/** Appends keyed records (null value: tombstone), all stamped `timestamp`. */
export function appendRecords(
  context: CommandContext,
  topic: string,
  records: readonly { key: string; value: Buffer | null; timestamp: number }[],
): Promise<RecordMetadata[]> {
  if (records.length === 0) return Promise.resolve([]);
  return context.log.append(
    topic,
    records.map((r) => ({ key: Buffer.from(r.key, 'utf8'), value: r.value, timestamp: r.timestamp })),
  );
}

/**
 * The conversation, waiting for it up to `conversationWaitMs` if the read model does not list it
 * yet, but only while a write for it may still be pending (`logProcessed`); RUNTIME_NOT_FOUND
 * (field `conversation_id`) after that.
 */
export async function requireConversation(context: CommandContext, conversationId: string): Promise<ListedAggregate> {
  if (typeof conversationId !== 'string' || conversationId.length === 0) throw new TypeError('conversationId must be a non-empty string');
  const waitMs = context.conversationWaitMs ?? DEFAULT_CONVERSATION_WAIT_MS;
  let conversation = context.readModel.conversation(conversationId);
  if (conversation === undefined && waitMs > 0) {
    // Wait while a write for it may be on its way; once the log is processed it is not.
    const settled = context.logProcessed?.(waitMs).then((done) => (done ? undefined : new Promise<void>(() => {})));
    conversation = await context.readModel.waitForConversation(conversationId, waitMs, settled);
  }
  if (conversation === undefined) {
    throw new CommunicationError('RUNTIME_NOT_FOUND', `conversation ${conversationId} not found`, { field: 'conversation_id' });
  }
  return conversation;
}
