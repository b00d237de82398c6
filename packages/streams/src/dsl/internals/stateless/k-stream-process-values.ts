import type { ProcessorContext } from '../../../processor/processor-context.js';
import type { FixedKeyProcessor, FixedKeyProcessorSupplier, Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { StoreBuilder } from '../../../state/builders/store-builder.js';

/**
 * `KStream.processValues`: runs a fixed-key processor. Every record it forwards gets the key of
 * the record being processed (the key of the last one, for forwards from punctuators), so the
 * key cannot change and no repartitioning is needed downstream.
 */
export class KStreamProcessValues<TKey, TValue, TValueOut> implements ProcessorSupplier<TKey, TValue, TKey, TValueOut> {
  readonly #inner: FixedKeyProcessorSupplier<TKey, TValue, TValueOut>;

  constructor(inner: FixedKeyProcessorSupplier<TKey, TValue, TValueOut>) {
    this.#inner = inner;
  }

  stores(): StoreBuilder<unknown>[] {
    return this.#inner.stores?.() ?? [];
  }

  get(): Processor<TKey, TValue, TKey, TValueOut> {
    const processor: FixedKeyProcessor<TKey, TValue, TValueOut> = this.#inner.get();
    let currentKey: { key: TKey } | undefined;
    return {
      init: (context: ProcessorContext<TKey, TValueOut>) => {
        // Delegates explicitly: the task's context keeps its state in private fields.
        const fixed: ProcessorContext<TKey, TValueOut> = {
          get applicationId() {
            return context.applicationId;
          },
          get taskId() {
            return context.taskId;
          },
          forward: (record, childName) =>
            context.forward(currentKey === undefined ? record : { ...record, key: currentKey.key }, childName),
          getStateStore: (name) => context.getStateStore(name),
          schedule: (intervalMs, type, punctuator) => context.schedule(intervalMs, type, punctuator),
          recordMetadata: () => context.recordMetadata(),
          currentStreamTimeMs: () => context.currentStreamTimeMs(),
          currentSystemTimeMs: () => context.currentSystemTimeMs(),
        };
        processor.init?.(fixed);
      },
      process: (record) => {
        currentKey = { key: record.key };
        return processor.process(record);
      },
      close: () => processor.close?.(),
    };
  }
}
