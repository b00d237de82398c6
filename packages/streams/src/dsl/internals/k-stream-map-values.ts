import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../processor/processor.js';

/** `KStream.mapValues`: a new value per record, same key. */
export class KStreamMapValues<TKey, TValue, TValueOut> implements ProcessorSupplier<TKey, TValue, TKey, TValueOut> {
  readonly #mapper: (value: TValue, key: TKey) => TValueOut;

  constructor(mapper: (value: TValue, key: TKey) => TValueOut) {
    this.#mapper = mapper;
  }

  get(): Processor<TKey, TValue, TKey, TValueOut> {
    const mapper = this.#mapper;
    let context: ProcessorContext<TKey, TValueOut>;
    return {
      init: (c) => void (context = c),
      process: (record) => context.forward({ ...record, value: mapper(record.value, record.key) }),
    };
  }
}
