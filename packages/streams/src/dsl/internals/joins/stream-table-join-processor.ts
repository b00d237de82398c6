import type { ProcessorContext } from '../../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { KTableValueGetterSupplier } from '../tables/k-table-value-getter.js';

export interface KStreamKTableJoinOptions<TKey, TValue, TTableKey, TTableValue, TValueOut> {
  /** Reads the table (a KTable's getter, or a global store's). */
  table: KTableValueGetterSupplier<TTableKey, TTableValue>;
  /** The table key to look up: the record key for KTables, any function of the record for global tables. */
  keyMapper: (key: TKey, value: TValue) => TTableKey | null | undefined;
  joiner: (value: TValue, tableValue: TTableValue | null, key: TKey) => TValueOut;
  /** Left join: records without a table row join with null instead of being dropped. */
  leftJoin: boolean;
}

/**
 * Stream-table join (Kafka's `KStreamKTableJoinProcessor`): only stream records trigger it; each
 * looks up the table's current value for its key, and the result keeps the stream record's key and
 * timestamp. Table updates only change what later lookups see (they arrive through the table's own
 * processors). Records with a null value, a null key in an inner join, or a key that the
 * global-table key selector maps to null are dropped; a left join joins a null-key record with
 * null (KIP-962), since it can never match.
 */
export class KStreamKTableJoin<TKey, TValue, TTableKey, TTableValue, TValueOut>
  implements ProcessorSupplier<TKey, TValue, TKey, TValueOut>
{
  readonly #options: KStreamKTableJoinOptions<TKey, TValue, TTableKey, TTableValue, TValueOut>;

  constructor(options: KStreamKTableJoinOptions<TKey, TValue, TTableKey, TTableValue, TValueOut>) {
    this.#options = options;
  }

  get(): Processor<TKey, TValue, TKey, TValueOut> {
    const { table, keyMapper, joiner, leftJoin } = this.#options;
    const getter = table.get();
    let context: ProcessorContext<TKey, TValueOut>;
    return {
      init: (c) => {
        context = c;
        getter.init(c as ProcessorContext<unknown, unknown>);
      },
      process: (record) => {
        if (record.value === null || record.value === undefined) return;
        if (record.key === null || record.key === undefined) {
          if (leftJoin) context.forward({ ...record, value: joiner(record.value, null, record.key) });
          return;
        }
        // A record whose global-table key maps to null is dropped, left join or not (as Kafka does).
        const tableKey = keyMapper(record.key, record.value);
        if (tableKey === null || tableKey === undefined) return;
        const tableValue = getter.get(tableKey)?.value ?? null;
        if (tableValue === null && !leftJoin) return;
        context.forward({ ...record, value: joiner(record.value, tableValue, record.key) });
      },
    };
  }
}
