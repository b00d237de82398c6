import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../processor/processor.js';
import type { StreamRecord } from '../../processor/record.js';

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
    let context: ProcessorContext<TKey, TValue>;
    return {
      init: (c) => void (context = c),
      process: (record: StreamRecord<TKey, TValue>) => {
        if (predicate(record.key, record.value) !== filterNot) context.forward(record);
      },
    };
  }
}
