import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../processor/processor.js';

/** Forwards every record unchanged: the node behind `merge` and each `split` branch. */
export class KStreamPassThrough<TKey, TValue> implements ProcessorSupplier<TKey, TValue, TKey, TValue> {
  get(): Processor<TKey, TValue, TKey, TValue> {
    let context: ProcessorContext<TKey, TValue>;
    return {
      init: (c) => void (context = c),
      process: (record) => context.forward(record),
    };
  }
}
