import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import { contextualProcessor } from '../contextual-processor.js';

/** `KStream.peek` (forwards) and `foreach` (terminal): calls an action per record. */
export class KStreamPeek<TKey, TValue> implements ProcessorSupplier<TKey, TValue, TKey, TValue> {
  readonly #action: (key: TKey, value: TValue) => void;
  readonly #forwardDownstream: boolean;

  constructor(action: (key: TKey, value: TValue) => void, forwardDownstream: boolean) {
    this.#action = action;
    this.#forwardDownstream = forwardDownstream;
  }

  get(): Processor<TKey, TValue, TKey, TValue> {
    const action = this.#action;
    const forward = this.#forwardDownstream;
    return contextualProcessor((record, context) => {
      action(record.key, record.value);
      if (forward) context.forward(record);
    });
  }
}
