import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import { contextualProcessor } from '../contextual-processor.js';

/** `KStream.map` and `selectKey`: a new key and value per record. */
export class KStreamMap<TKey, TValue, TKeyOut, TValueOut> implements ProcessorSupplier<TKey, TValue, TKeyOut, TValueOut> {
  readonly #mapper: (key: TKey, value: TValue) => readonly [TKeyOut, TValueOut];

  constructor(mapper: (key: TKey, value: TValue) => readonly [TKeyOut, TValueOut]) {
    this.#mapper = mapper;
  }

  get(): Processor<TKey, TValue, TKeyOut, TValueOut> {
    const mapper = this.#mapper;
    return contextualProcessor((record, context) => {
      const pair = mapper(record.key, record.value);
      if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError('a map() mapper must return a [key, value] pair');
      context.forward({ ...record, key: pair[0], value: pair[1] });
    });
  }
}
