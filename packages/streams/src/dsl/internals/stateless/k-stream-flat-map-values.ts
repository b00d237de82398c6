import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import { contextualProcessor } from '../contextual-processor.js';

/** `KStream.flatMapValues`: zero or more values per record, same key and timestamp. */
export class KStreamFlatMapValues<TKey, TValue, TValueOut> implements ProcessorSupplier<TKey, TValue, TKey, TValueOut> {
  readonly #mapper: (value: TValue, key: TKey) => Iterable<TValueOut>;

  constructor(mapper: (value: TValue, key: TKey) => Iterable<TValueOut>) {
    this.#mapper = mapper;
  }

  get(): Processor<TKey, TValue, TKey, TValueOut> {
    const mapper = this.#mapper;
    return contextualProcessor((record, context) => {
      for (const value of mapper(record.value, record.key)) context.forward({ ...record, value });
    });
  }
}
