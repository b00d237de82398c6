import * as os from 'node:os';
import * as path from 'node:path';
import type { Log } from '../log/types.js';
import type { Clock } from '../processor/clock.js';
import { systemClock } from '../processor/clock.js';

export interface StreamsAppOptions {
  /** Names the consumer group, the internal topics (`<id>-<store>-changelog`) and the state directory. */
  applicationId: string;
  log: Log;
  /** Parent of the application's local state (`<stateDir>/<applicationId>/`). Default `<tmpdir>/parley-streams`. */
  stateDir?: string;
  /**
   * 'at_least_once' (default): outputs are appended after every batch and input offsets committed
   * after them; after a crash the input since the last commit is processed again.
   * 'exactly_once': each task's outputs, changelog records and input offsets are committed in one
   * log transaction per task and commit (transactional id `<applicationId>-<taskId>`), so a
   * read_committed reader sees every input record's results once, and state equals a run without
   * the crash. Needs a log with `supports.transactions` (KafkaLog); `start()` fails with
   * STREAMS_UNSUPPORTED otherwise.
   */
  processingGuarantee?: 'at_least_once' | 'exactly_once';
  /**
   * How often stores are flushed and input offsets committed, in ms. Default 1000, or 100 under
   * exactly_once (outputs become visible only at a commit). At least once, outputs do not wait for
   * a commit: they are appended after every processed batch.
   */
  commitIntervalMs?: number;
  /** Where a partition without a committed offset starts: 'earliest' (default), 'latest', or the first record at or after a timestamp (ms). */
  startFrom?: 'earliest' | 'latest' | { timestamp: number };
  /** 'fail' (default): a processing error stops the application (state 'error'). 'continue': the record goes to the dead-letter topic. */
  processingExceptionHandler?: 'fail' | 'continue';
  /** Same choice for input records the source serdes cannot decode. */
  deserializationExceptionHandler?: 'fail' | 'continue';
  /** Dead-letter topic, created if missing. Default `<applicationId>-dlq`. */
  deadLetterTopic?: string;
  /** How often wall-clock punctuators are checked, in ms. Default 100. */
  punctuationCheckMs?: number;
  /** How often global stores look for new records, in ms. Default 100. */
  globalPollMs?: number;
  /** Record cache in front of each persistent key-value store, in bytes; 0 turns it off. Default 10 MiB. */
  cacheMaxBytesPerStore?: number;
  /**
   * Native memory of each LevelDB store: `blockCacheBytes` (default 8 MiB) and `writeBufferBytes`
   * (default 4 MiB; up to two while one is flushed). With the record cache, a store costs up to
   * cacheMaxBytesPerStore + blockCacheBytes + 2 × writeBufferBytes.
   */
  leveldb?: { blockCacheBytes?: number; writeBufferBytes?: number };
  /** Records per consumed batch. Default 1000. */
  maxBatchRecords?: number;
  /**
   * Time slice, in ms: while processing a batch, the application gives the event loop back
   * (`setImmediate`) each time this long has passed since it last did, so other work of the
   * process (an HTTP server, another application) waits about this long at most behind a large
   * batch. Records are still processed one after the other, in order. Default 0: a batch of
   * synchronous processors runs without a break.
   */
  yieldAfterMs?: number;
  /** Input records buffered per partition before fetching from it pauses. Default 10 000. */
  maxBufferedPerPartition?: number;
  /**
   * First wait, in ms, before the engine retries after a retriable failure (the broker unreachable,
   * a failed transaction): it closes its tasks without a checkpoint, waits, rejoins the group and
   * restores them. The wait doubles on each failure in a row, up to 32 times this. Default 100.
   */
  retryBackoffMs?: number;
  /**
   * How long retriable failures may go on, in ms, before the application gives up and goes to
   * 'error' with the last one (Kafka Streams' `task.timeout.ms`). Default 300 000; 0 never retries.
   */
  taskTimeoutMs?: number;
  clock?: Clock;
}

export type ResolvedStreamsAppOptions = Required<Omit<StreamsAppOptions, 'startFrom'>> & { startFrom: StreamsAppOptions['startFrom'] & {} };

export function resolveOptions(options: StreamsAppOptions): ResolvedStreamsAppOptions {
  if (typeof options?.applicationId !== 'string' || !/^[a-zA-Z0-9._-]{1,200}$/.test(options.applicationId)) {
    throw new TypeError('applicationId must be 1-200 characters of [a-zA-Z0-9._-]');
  }
  if (options.log === undefined) throw new TypeError('StreamsApp needs a log');
  const processingGuarantee = options.processingGuarantee ?? 'at_least_once';
  if (processingGuarantee !== 'at_least_once' && processingGuarantee !== 'exactly_once') {
    throw new TypeError(`processingGuarantee must be 'at_least_once' or 'exactly_once', got ${String(processingGuarantee)}`);
  }
  const commitIntervalMs = options.commitIntervalMs ?? (processingGuarantee === 'exactly_once' ? 100 : 1000);
  if (!(commitIntervalMs >= 0)) throw new RangeError('commitIntervalMs must be >= 0');
  const retryBackoffMs = options.retryBackoffMs ?? 100;
  if (!(retryBackoffMs >= 1)) throw new RangeError('retryBackoffMs must be >= 1');
  const taskTimeoutMs = options.taskTimeoutMs ?? 300_000;
  if (!(taskTimeoutMs >= 0)) throw new RangeError('taskTimeoutMs must be >= 0');
  const yieldAfterMs = options.yieldAfterMs ?? 0;
  if (!(yieldAfterMs >= 0)) throw new RangeError('yieldAfterMs must be >= 0');
  return {
    applicationId: options.applicationId,
    log: options.log,
    stateDir: options.stateDir ?? path.join(os.tmpdir(), 'parley-streams'),
    processingGuarantee,
    commitIntervalMs,
    retryBackoffMs,
    taskTimeoutMs,
    startFrom: options.startFrom ?? 'earliest',
    processingExceptionHandler: options.processingExceptionHandler ?? 'fail',
    deserializationExceptionHandler: options.deserializationExceptionHandler ?? 'fail',
    deadLetterTopic: options.deadLetterTopic ?? `${options.applicationId}-dlq`,
    punctuationCheckMs: options.punctuationCheckMs ?? 100,
    globalPollMs: options.globalPollMs ?? 100,
    maxBatchRecords: options.maxBatchRecords ?? 1000,
    yieldAfterMs,
    cacheMaxBytesPerStore: options.cacheMaxBytesPerStore ?? 10 * 1024 * 1024,
    leveldb: options.leveldb ?? {},
    maxBufferedPerPartition: options.maxBufferedPerPartition ?? 10_000,
    clock: options.clock ?? systemClock,
  };
}
