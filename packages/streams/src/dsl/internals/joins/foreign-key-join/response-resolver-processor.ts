import type { ProcessorContext } from '../../../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../../../processor/processor.js';
import type { TimestampedKeyValueStore } from '../../../../state/typed/typed-key-value-store.js';
import type { Serde } from '../../../../serde/types.js';
import type { Change } from '../../tables/change.js';
import type { KTableValueGetterSupplier } from '../../tables/k-table-value-getter.js';
import { decodeResponse, sameHash, valueHash } from './subscription-messages.js';

export interface ResponseResolverOptions<TKey, TValue, TValueOther, TValueOut> {
  left: KTableValueGetterSupplier<TKey, TValue>;
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  otherValueSerde: Serde<TValueOther>;
  joiner: (value: TValue, otherValue: TValueOther | null) => TValueOut;
  leftJoin: boolean;
  /** The materialized result's store, if the join is materialized. */
  storeName: string | undefined;
}

/**
 * Last step, back on the left key's partition (Kafka's `ResponseJoinProcessorSupplier`): drops
 * answers computed for an older left value (their hash differs from the current value's), joins
 * the current left value with the answer's right value, and forwards the change. A null result
 * (inner join without right value, or deleted left row) is forwarded as a tombstone whether or
 * not the key was in the result, as Kafka Streams does. Not materialized, old values are unknown
 * (forwarded as null).
 */
export class ResponseResolverProcessor<TKey, TValue, TValueOther, TValueOut> implements ProcessorSupplier<Buffer, Buffer, TKey, Change<TValueOut>> {
  readonly #o: ResponseResolverOptions<TKey, TValue, TValueOther, TValueOut>;

  constructor(options: ResponseResolverOptions<TKey, TValue, TValueOther, TValueOut>) {
    this.#o = options;
  }

  get(): Processor<Buffer, Buffer, TKey, Change<TValueOut>> {
    const o = this.#o;
    const getter = o.left.get();
    let context: ProcessorContext<TKey, Change<TValueOut>>;
    let materialized: TimestampedKeyValueStore<TKey, TValueOut> | undefined;
    return {
      init: (c) => {
        context = c;
        getter.init(c as ProcessorContext<unknown, unknown>);
        if (o.storeName !== undefined) materialized = c.getStateStore(o.storeName);
      },
      process: (record) => {
        if (record.key === null || record.value === null) return;
        const response = decodeResponse(record.value);
        const key = o.keySerde.deserialize(record.key);
        const current = getter.get(key);
        const currentHash = valueHash(current === undefined ? null : o.valueSerde.serialize(current.value));
        if (!sameHash(currentHash, response.hash)) return;
        const rightValue = response.rightValue === null ? null : o.otherValueSerde.deserialize(response.rightValue);
        const newValue = current === undefined || (rightValue === null && !o.leftJoin) ? null : o.joiner(current.value, rightValue);
        let oldValue: TValueOut | null = null;
        if (materialized !== undefined) {
          oldValue = materialized.get(key)?.value ?? null;
          if (newValue === null) materialized.delete(key);
          else materialized.put(key, { value: newValue, timestamp: record.timestamp });
        }
        context.forward({ ...record, key, value: { newValue, oldValue } });
      },
    };
  }
}
