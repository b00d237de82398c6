import type { ProcessorContext } from '../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../processor/processor.js';
import type { Change } from './change.js';

/** `KTable.toStream`: each update as a record carrying the new value (null for a deletion). */
export class KTableToStream<TKey, TValue> implements ProcessorSupplier<TKey, Change<TValue>, TKey, TValue | null> {
  get(): Processor<TKey, Change<TValue>, TKey, TValue | null> {
    let context: ProcessorContext<TKey, TValue | null>;
    return {
      init: (c) => void (context = c),
      process: (record) => context.forward({ ...record, value: record.value.newValue }),
    };
  }
}
