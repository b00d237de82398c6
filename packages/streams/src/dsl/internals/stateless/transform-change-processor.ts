import type { ProcessorContext } from '../../../processor/processor-context.js';
import type { Processor } from '../../../processor/processor.js';
import type { TimestampedKeyValueStore } from '../../../state/typed/typed-key-value-store.js';
import type { Change } from '../tables/change.js';

/**
 * @internal The processor of a KTable operator that derives each change from its parent's
 * (filter, mapValues, the table-table join merger). `transform` maps the (new, old) pair, or
 * returns undefined to forward nothing. When the operator is materialized (`storeName` set), the
 * new value is written to its store before forwarding: null deletes the key.
 */
export function transformChangeProcessor<TKey, TValueIn, TValueOut>(
  storeName: string | undefined,
  transform: (key: TKey, change: Change<TValueIn>) => Change<TValueOut> | undefined,
): Processor<TKey, Change<TValueIn>, TKey, Change<TValueOut>> {
  let context: ProcessorContext<TKey, Change<TValueOut>>;
  let store: TimestampedKeyValueStore<TKey, TValueOut> | undefined;
  return {
    init: (c) => {
      context = c;
      if (storeName !== undefined) store = c.getStateStore(storeName);
    },
    process: (record) => {
      const change = transform(record.key, record.value);
      if (change === undefined) return;
      if (store !== undefined) {
        if (change.newValue === null) store.delete(record.key);
        else store.put(record.key, { value: change.newValue, timestamp: record.timestamp });
      }
      context.forward({ ...record, value: change });
    },
  };
}
