import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import { contextualProcessor } from '../contextual-processor.js';

/** `KStream.filter` / `filterNot`: forwards the records the predicate accepts (or rejects). */
export class KStreamFilter<TKey, TValue> implements ProcessorSupplier<TKey, TValue, TKey, TValue> {
  readonly #predicate: (key: TKey, value: TValue) => boolean;
  readonly #filterNot: boolean;

  constructor(predicate: (key: TKey, value: TValue) => boolean, filterNot: boolean) {
    this.#predicate = predicate;
    this.#filterNot = filterNot;
  }

  get(): Processor<TKey, TValue, TKey, TValue> {
    const predicate = this.#predicate;
    const filterNot = this.#filterNot;
    return contextualProcessor((record, context) => {
      if (predicate(record.key, record.value) !== filterNot) context.forward(record);
    });
  }
}
