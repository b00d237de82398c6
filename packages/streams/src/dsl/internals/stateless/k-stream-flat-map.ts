import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import { contextualProcessor } from '../contextual-processor.js';

/** `KStream.flatMap`: zero or more new key-value pairs per record, all with the input's timestamp. */
export class KStreamFlatMap<TKey, TValue, TKeyOut, TValueOut> implements ProcessorSupplier<TKey, TValue, TKeyOut, TValueOut> {
  readonly #mapper: (key: TKey, value: TValue) => Iterable<readonly [TKeyOut, TValueOut]>;

  constructor(mapper: (key: TKey, value: TValue) => Iterable<readonly [TKeyOut, TValueOut]>) {
    this.#mapper = mapper;
  }

  get(): Processor<TKey, TValue, TKeyOut, TValueOut> {
    const mapper = this.#mapper;
    return contextualProcessor((record, context) => {
      for (const [key, value] of mapper(record.key, record.value)) context.forward({ ...record, key, value });
    });
  }
}
