import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import { contextualProcessor } from '../contextual-processor.js';

/** `KStream.mapValues`: a new value per record, same key. */
export class KStreamMapValues<TKey, TValue, TValueOut> implements ProcessorSupplier<TKey, TValue, TKey, TValueOut> {
  readonly #mapper: (value: TValue, key: TKey) => TValueOut;

  constructor(mapper: (value: TValue, key: TKey) => TValueOut) {
    this.#mapper = mapper;
  }

  get(): Processor<TKey, TValue, TKey, TValueOut> {
    const mapper = this.#mapper;
    return contextualProcessor((record, context) => context.forward({ ...record, value: mapper(record.value, record.key) }));
  }
}
