import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../processor/processor.js';

/** `KStream.flatMapValues`: zero or more values per record, same key and timestamp. */
export class KStreamFlatMapValues<TKey, TValue, TValueOut> implements ProcessorSupplier<TKey, TValue, TKey, TValueOut> {
  readonly #mapper: (value: TValue, key: TKey) => Iterable<TValueOut>;

  constructor(mapper: (value: TValue, key: TKey) => Iterable<TValueOut>) {
    this.#mapper = mapper;
  }

  get(): Processor<TKey, TValue, TKey, TValueOut> {
    const mapper = this.#mapper;
    let context: ProcessorContext<TKey, TValueOut>;
    return {
      init: (c) => void (context = c),
      process: (record) => {
        for (const value of mapper(record.value, record.key)) context.forward({ ...record, value });
      },
    };
  }
}
