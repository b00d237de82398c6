import { randomUUID } from 'node:crypto';
import type { Log, LogConsumer, RecordBatch } from '@parley/streams';
import type { Logger } from './logger.js';

export interface FollowTopicsOptions {
  log: Log;
  logger: Logger;
  topics: readonly string[];
  /** The consumer group's prefix; a random suffix gives each process a group of its own. */
  groupPrefix: string;
  /** Logged with the error when the consumer fails. */
  failureEvent: string;
  onBatch(batch: RecordBatch): void;
}

/**
 * A process's in-memory view of some topics: one consumer in a group of its own follows them
 * from their beginning (so every instance sees every change). Resolves once it has read up to the
 * ends it saw when starting; the consumer keeps following after that.
 */
export async function followTopicsFromStart(options: FollowTopicsOptions): Promise<LogConsumer> {
  const { log, topics } = options;
  const ends = new Map<string, number>();
  for (const topic of topics) {
    const { partitions } = await log.describeTopic(topic);
    for (let p = 0; p < partitions; p++) ends.set(`${topic}/${p}`, await log.endOffset({ topic, partition: p }));
  }
  let caughtUp!: () => void;
  const ready = new Promise<void>((resolve) => (caughtUp = resolve));
  const check = (): void => {
    if ([...ends.values()].every((end) => end <= 0)) caughtUp();
  };
  const consumer = log.consumer({
    groupId: `${options.groupPrefix}-${randomUUID()}`,
    topics: [...topics],
    autoOffsetReset: 'earliest',
    onError: (err) => options.logger.error(options.failureEvent, { err }),
  });
  await consumer.run((batch) => {
    options.onBatch(batch);
    const key = `${batch.topic}/${batch.partition}`;
    const last = batch.records.at(-1);
    if (last !== undefined && (ends.get(key) ?? 0) <= last.offset + 1) ends.set(key, 0);
    check();
  });
  check();
  await ready;
  return consumer;
}
