import type { ProcessorContext } from '../../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { ValueAndTimestamp } from '../../../state/typed/typed-key-value-store.js';
import type { Change } from '../tables/change.js';
import type { KTableValueGetterSupplier } from '../tables/k-table-value-getter.js';

/** Which keys a table-table join result holds: both sides present, the left one, or either. */
export type TableJoinKind = 'inner' | 'left' | 'outer';

/** The join result for one key's left and right values, or null when the key is not in the result. */
export type TableJoinResult<TLeft, TRight, TValueOut> = (left: TLeft | null, right: TRight | null) => TValueOut | null;

/** Wraps the user's joiner so it is only called for keys that are in the result of `kind`. */
export function tableJoinResult<TLeft, TRight, TValueOut>(
  kind: TableJoinKind,
  joiner: (left: TLeft | null, right: TRight | null) => TValueOut,
): TableJoinResult<TLeft, TRight, TValueOut> {
  const inResult =
    kind === 'inner'
      ? (l: TLeft | null, r: TRight | null) => l !== null && r !== null
      : kind === 'left'
        ? (l: TLeft | null) => l !== null
        : (l: TLeft | null, r: TRight | null) => l !== null || r !== null;
  return (left, right) => (inResult(left, right) ? joiner(left, right) : null);
}

export interface KTableKTableJoinOptions<TLeft, TRight, TValueOut> {
  kind: TableJoinKind;
  /** 'left': this processor receives the left table's updates; 'right': the right table's. */
  side: 'left' | 'right';
  /** Reads the other table's current values. */
  other: KTableValueGetterSupplier<unknown, unknown>;
  result: TableJoinResult<TLeft, TRight, TValueOut>;
}

/**
 * One side of a table-table equi-join (Kafka's `KTableKTable{Inner,Left,Outer}Join` and
 * `KTableKTableRightJoin`): an update of one table is joined with the other table's current value.
 * The result before and after the update are computed alike, so a key leaving the result becomes a
 * tombstone (new null, old value). Whether anything is forwarded follows Kafka Streams exactly
 * (checked by the differential suite): when this side's rows only count next to a row of the
 * other table (both sides of an inner join, the right side of a left join) an update is forwarded
 * whenever the other table has a row — so a tombstone goes out even for a key that was never in
 * the result — and never when it has none; otherwise (the left side of a left join, both sides of
 * an outer join) everything is forwarded except a tombstone for a key neither table holds.
 * The output timestamp is the larger of the two rows' timestamps.
 */
export class KTableKTableJoin<TKey, TLeft, TRight, TValueOut> implements ProcessorSupplier<TKey, Change<unknown>, TKey, Change<TValueOut>> {
  readonly #options: KTableKTableJoinOptions<TLeft, TRight, TValueOut>;

  constructor(options: KTableKTableJoinOptions<TLeft, TRight, TValueOut>) {
    this.#options = options;
  }

  get(): Processor<TKey, Change<unknown>, TKey, Change<TValueOut>> {
    const { kind, side, result } = this.#options;
    const needsOther = kind === 'inner' || (kind === 'left' && side === 'right');
    const getter = this.#options.other.get();
    const join = (mine: unknown, theirs: unknown): TValueOut | null =>
      side === 'left' ? result(mine as TLeft | null, theirs as TRight | null) : result(theirs as TLeft | null, mine as TRight | null);
    let context: ProcessorContext<TKey, Change<TValueOut>>;
    return {
      init: (c) => {
        context = c;
        getter.init(c as ProcessorContext<unknown, unknown>);
      },
      process: (record) => {
        if (record.key === null || record.key === undefined) return;
        const other = getter.get(record.key);
        const otherValue = other?.value ?? null;
        if (otherValue === null && (needsOther || (record.value.newValue === null && record.value.oldValue === null))) return;
        const newValue = join(record.value.newValue, otherValue);
        const oldValue = join(record.value.oldValue, otherValue);
        const timestamp = other === undefined ? record.timestamp : Math.max(record.timestamp, other.timestamp);
        context.forward({ ...record, timestamp, value: { newValue, oldValue } });
      },
    };
  }
}

/** Reads a join result that is not materialized: both tables' current values, joined on read. */
export function joinedValueGetterSupplier<TKey, TLeft, TRight, TValueOut>(
  left: KTableValueGetterSupplier<TKey, TLeft>,
  right: KTableValueGetterSupplier<TKey, TRight>,
  result: TableJoinResult<TLeft, TRight, TValueOut>,
): KTableValueGetterSupplier<TKey, TValueOut> {
  return {
    storeNames: () => [...new Set([...left.storeNames(), ...right.storeNames()])],
    get: () => {
      const l = left.get();
      const r = right.get();
      return {
        init: (context) => {
          l.init(context);
          r.init(context);
        },
        get: (key): ValueAndTimestamp<TValueOut> | undefined => {
          const lv = l.get(key);
          const rv = r.get(key);
          const value = result(lv?.value ?? null, rv?.value ?? null);
          if (value === null) return undefined;
          return { value, timestamp: Math.max(lv?.timestamp ?? -1, rv?.timestamp ?? -1) };
        },
      };
    },
  };
}
