import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import { contextualProcessor } from '../contextual-processor.js';

/** Forwards every record unchanged: the node behind `merge` and each `split` branch. */
export class KStreamPassThrough<TKey, TValue> implements ProcessorSupplier<TKey, TValue, TKey, TValue> {
  get(): Processor<TKey, TValue, TKey, TValue> {
    return contextualProcessor((record, context) => context.forward(record));
  }
}
