import { isStreamsError, TopicError } from '../../errors.js';
import type { Processor } from '../processor.js';
import type { StreamRecord } from '../record.js';
import type { SinkNodeDefinition } from './node-definitions.js';
import type { RecordCollector } from './record-collector.js';

/** The processor behind a sink node: serializes and hands the record to the task's collector. */
export class SinkProcessor implements Processor<unknown, unknown> {
  readonly #def: SinkNodeDefinition;
  readonly #collector: RecordCollector;
  readonly #resolveTopic: (name: string) => string;

  constructor(def: SinkNodeDefinition, collector: RecordCollector, resolveTopic: (name: string) => string) {
    this.#def = def;
    this.#collector = collector;
    this.#resolveTopic = resolveTopic;
  }

  process(record: StreamRecord<unknown, unknown>): void {
    const def = this.#def;
    const topic = def.topic !== undefined ? this.#resolveTopic(def.topic) : def.topicExtractor!(record);
    if (typeof topic !== 'string' || topic.length === 0) {
      throw new TypeError(`sink ${def.name}: the topic extractor returned ${JSON.stringify(topic)}`);
    }
    const key = this.#serialize(def.keySerde, record.key, topic);
    const value = this.#serialize(def.valueSerde, record.value, topic);
    const partition = def.partitioner?.(record, topic, this.#collector.partitionsFor(topic));
    this.#collector.send({
      topic,
      key,
      value,
      headers: record.headers,
      timestamp: record.timestamp,
      ...(partition === undefined ? {} : { partition }),
    });
  }

  #serialize(serde: SinkNodeDefinition['keySerde'], data: unknown, topic: string): Buffer | null {
    if (data === null || data === undefined) return null;
    try {
      return serde.serialize(data, topic);
    } catch (err) {
      if (isStreamsError(err)) throw err;
      throw new TopicError('STREAMS_SERDE_ENCODE', `sink ${this.#def.name} cannot serialize for ${topic}`, { topic }, { cause: err });
    }
  }
}
