import type { RecordMetadata } from '../log/types.js';
import type { StreamRecord } from './record.js';

/** Identifies a task: one sub-topology working on one partition of its source topics. */
export interface TaskId {
  readonly subtopology: number;
  readonly partition: number;
}

/** `'0_3'` for sub-topology 0, partition 3 (Kafka's format). */
export function formatTaskId(id: TaskId): string {
  return `${id.subtopology}_${id.partition}`;
}

/**
 * What drives a punctuator: `'stream-time'` advances only with the timestamps of processed
 * records; `'wall-clock'` follows the task's clock.
 */
export type PunctuationType = 'stream-time' | 'wall-clock';

/** Called by a schedule; `timestampMs` is the current stream time or wall-clock time. */
export type Punctuator = (timestampMs: number) => void;

/** Handle returned by `schedule`; `cancel()` stops further punctuations. */
export interface Cancellable {
  cancel(): void;
}

/**
 * What a processor sees of its task. One context is created per processor node; `forward`
 * sends to that node's children.
 */
export interface ProcessorContext<TKeyOut = unknown, TValueOut = unknown> {
  readonly applicationId: string;
  readonly taskId: TaskId;
  /**
   * Sends a record to every child of this processor, or only to the child named `childName`
   * (a TypeError if there is no such child). Children run synchronously before `forward` returns.
   */
  forward(record: StreamRecord<TKeyOut, TValueOut>, childName?: string): void;
  /**
   * The store named `name`, which must be connected to this processor (or be a global store).
   * The type argument is the facade you expect, e.g. `TypedKeyValueStore<string, number>`.
   */
  getStateStore<TStore>(name: string): TStore;
  /**
   * Calls `punctuator` every `intervalMs` milliseconds of stream time or wall-clock time.
   * Stream-time schedules fire first with the first record after scheduling, then at multiples
   * of the interval (Kafka's alignment); wall-clock schedules first fire `intervalMs` after now.
   */
  schedule(intervalMs: number, type: PunctuationType, punctuator: Punctuator): Cancellable;
  /** Topic, partition and offset of the input record being processed; null during punctuation. */
  recordMetadata(): RecordMetadata | null;
  /** The highest record timestamp this task has seen, in ms; -1 before the first record. */
  currentStreamTimeMs(): number;
  /** The task's wall-clock time in ms. */
  currentSystemTimeMs(): number;
}

/** The context of a `processValues` processor: forwarded records keep the input key. */
export type FixedKeyProcessorContext<TKey, TValueOut> = ProcessorContext<TKey, TValueOut>;
