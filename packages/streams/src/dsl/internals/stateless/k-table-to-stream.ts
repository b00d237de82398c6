import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { Change } from '../tables/change.js';
import { contextualProcessor } from '../contextual-processor.js';

/** `KTable.toStream`: each update as a record carrying the new value (null for a deletion). */
export class KTableToStream<TKey, TValue> implements ProcessorSupplier<TKey, Change<TValue>, TKey, TValue | null> {
  get(): Processor<TKey, Change<TValue>, TKey, TValue | null> {
    return contextualProcessor((record, context) => context.forward({ ...record, value: record.value.newValue }));
  }
}
