import type { FixedKeyProcessorContext, ProcessorContext } from './processor-context.js';
import type { FixedKeyRecord, StreamRecord } from './record.js';
import type { StoreBuilder } from '../state/builders/store-builder.js';

/**
 * A node of a topology. `process` is synchronous by default; when it returns a promise the task
 * waits for it before taking the next record (use sparingly: it costs a tick per record).
 */
export interface Processor<TKeyIn, TValueIn, TKeyOut = never, TValueOut = never> {
  init?(context: ProcessorContext<TKeyOut, TValueOut>): void;
  process(record: StreamRecord<TKeyIn, TValueIn>): void | Promise<void>;
  close?(): void;
}

/** A processor for `KStream.processValues`: it may change values but never keys. */
export interface FixedKeyProcessor<TKey, TValueIn, TValueOut = never> {
  init?(context: FixedKeyProcessorContext<TKey, TValueOut>): void;
  process(record: FixedKeyRecord<TKey, TValueIn>): void | Promise<void>;
  close?(): void;
}

/**
 * Creates a fresh processor per task. `stores()` lists stores the supplier owns: the topology adds
 * them and connects them to the processor (Kafka's `ConnectedStoreProvider`).
 */
export interface ProcessorSupplier<TKeyIn, TValueIn, TKeyOut = never, TValueOut = never> {
  get(): Processor<TKeyIn, TValueIn, TKeyOut, TValueOut>;
  stores?(): StoreBuilder<unknown>[];
}

/** Either a full supplier or just a factory function. */
export type ProcessorSupplierLike<TKeyIn, TValueIn, TKeyOut = never, TValueOut = never> =
  | ProcessorSupplier<TKeyIn, TValueIn, TKeyOut, TValueOut>
  | (() => Processor<TKeyIn, TValueIn, TKeyOut, TValueOut>);

export interface FixedKeyProcessorSupplier<TKey, TValueIn, TValueOut = never> {
  get(): FixedKeyProcessor<TKey, TValueIn, TValueOut>;
  stores?(): StoreBuilder<unknown>[];
}

export type FixedKeyProcessorSupplierLike<TKey, TValueIn, TValueOut = never> =
  | FixedKeyProcessorSupplier<TKey, TValueIn, TValueOut>
  | (() => FixedKeyProcessor<TKey, TValueIn, TValueOut>);

/** Turns a factory function into a supplier; rejects anything else with a TypeError. */
export function toProcessorSupplier<TKeyIn, TValueIn, TKeyOut, TValueOut>(
  supplier: ProcessorSupplierLike<TKeyIn, TValueIn, TKeyOut, TValueOut>,
): ProcessorSupplier<TKeyIn, TValueIn, TKeyOut, TValueOut> {
  if (typeof supplier === 'function') return { get: supplier };
  if (supplier !== null && typeof supplier === 'object' && typeof supplier.get === 'function') return supplier;
  throw new TypeError('a processor supplier must be a function or an object with get()');
}
