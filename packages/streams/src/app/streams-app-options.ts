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
   * How often stores are flushed and input offsets committed, in ms. Default 1000. Outputs do not
   * wait for a commit: they are appended after every processed batch.
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
  /** Records per consumed batch. Default 1000. */
  maxBatchRecords?: number;
  /** Input records buffered per partition before fetching from it pauses. Default 10 000. */
  maxBufferedPerPartition?: number;
  clock?: Clock;
}

export type ResolvedStreamsAppOptions = Required<Omit<StreamsAppOptions, 'startFrom'>> & { startFrom: StreamsAppOptions['startFrom'] & {} };

export function resolveOptions(options: StreamsAppOptions): ResolvedStreamsAppOptions {
  if (typeof options?.applicationId !== 'string' || !/^[a-zA-Z0-9._-]{1,200}$/.test(options.applicationId)) {
    throw new TypeError('applicationId must be 1-200 characters of [a-zA-Z0-9._-]');
  }
  if (options.log === undefined) throw new TypeError('StreamsApp needs a log');
  const commitIntervalMs = options.commitIntervalMs ?? 1000;
  if (!(commitIntervalMs >= 0)) throw new RangeError('commitIntervalMs must be >= 0');
  return {
    applicationId: options.applicationId,
    log: options.log,
    stateDir: options.stateDir ?? path.join(os.tmpdir(), 'parley-streams'),
    commitIntervalMs,
    startFrom: options.startFrom ?? 'earliest',
    processingExceptionHandler: options.processingExceptionHandler ?? 'fail',
    deserializationExceptionHandler: options.deserializationExceptionHandler ?? 'fail',
    deadLetterTopic: options.deadLetterTopic ?? `${options.applicationId}-dlq`,
    punctuationCheckMs: options.punctuationCheckMs ?? 100,
    globalPollMs: options.globalPollMs ?? 100,
    maxBatchRecords: options.maxBatchRecords ?? 1000,
    cacheMaxBytesPerStore: options.cacheMaxBytesPerStore ?? 10 * 1024 * 1024,
    maxBufferedPerPartition: options.maxBufferedPerPartition ?? 10_000,
    clock: options.clock ?? systemClock,
  };
}
