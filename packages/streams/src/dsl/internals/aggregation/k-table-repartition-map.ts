import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { Serde } from '../../../serde/types.js';
import type { Change } from '../tables/change.js';
import { isNil } from '../dropped-records.js';
import { contextualProcessor } from '../contextual-processor.js';

export interface KTableRepartitionMapOptions<TKey, TValue, TKeyOut, TValueOut> {
  selector: (key: TKey, value: TValue) => readonly [TKeyOut, TValueOut];
  /** Compares the old and the new group by their serialized keys. */
  keySerde: Serde<TKeyOut>;
}

/**
 * `KTable.groupBy` before its repartition topic (Kafka's `KTableRepartitionMap`): maps the old
 * and the new value of each update to their groups. When both land in the same group one record
 * carries both (so the subtractor runs before the adder); otherwise the old pair goes to its
 * group as a retraction first, then the new pair to its group as an addition. Pairs whose
 * selected key or value is null are not forwarded.
 */
export class KTableRepartitionMap<TKey, TValue, TKeyOut, TValueOut>
  implements ProcessorSupplier<TKey, Change<TValue>, TKeyOut, Change<TValueOut>>
{
  readonly #options: KTableRepartitionMapOptions<TKey, TValue, TKeyOut, TValueOut>;

  constructor(options: KTableRepartitionMapOptions<TKey, TValue, TKeyOut, TValueOut>) {
    this.#options = options;
  }

  get(): Processor<TKey, Change<TValue>, TKeyOut, Change<TValueOut>> {
    const { selector, keySerde } = this.#options;
    const select = (key: TKey, value: TValue | null) => {
      if (value === null) return undefined;
      const pair = selector(key, value);
      return isNil(pair[0]) || isNil(pair[1]) ? undefined : pair;
    };
    return contextualProcessor((record, context) => {
      if (isNil(record.key)) return;
      const newPair = select(record.key, record.value.newValue);
      const oldPair = select(record.key, record.value.oldValue);
      if (newPair !== undefined && oldPair !== undefined && keySerde.serialize(newPair[0]).equals(keySerde.serialize(oldPair[0]))) {
        context.forward({ ...record, key: newPair[0], value: { newValue: newPair[1], oldValue: oldPair[1] } });
        return;
      }
      if (oldPair !== undefined) context.forward({ ...record, key: oldPair[0], value: { newValue: null, oldValue: oldPair[1] } });
      if (newPair !== undefined) context.forward({ ...record, key: newPair[0], value: { newValue: newPair[1], oldValue: null } });
    });
  }
}
