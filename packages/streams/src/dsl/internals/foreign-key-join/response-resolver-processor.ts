import type { ProcessorContext } from '../../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { TimestampedKeyValueStore } from '../../../processor/stores/typed-key-value-store.js';
import type { Serde } from '../../../serde/types.js';
import type { Change } from '../change.js';
import type { IndexedBytesStore } from '../join-stores/indexed-store-builder.js';
import type { KTableValueGetterSupplier } from '../k-table-value-getter.js';
import { decodeResponse, sameHash, valueHash } from './subscription-messages.js';

export interface ResponseResolverOptions<TKey, TValue, TValueOther, TValueOut> {
  left: KTableValueGetterSupplier<TKey, TValue>;
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  otherValueSerde: Serde<TValueOther>;
  joiner: (value: TValue, otherValue: TValueOther | null) => TValueOut;
  leftJoin: boolean;
  /** The result store: the materialized result, or (not materialized) the keys in the result. */
  output: { kind: 'materialized'; storeName: string } | { kind: 'presence'; storeName: string };
}

/**
 * Last step, back on the left key's partition (Kafka's `ResponseJoinProcessorSupplier`): drops
 * answers computed for an older left value (their hash differs from the current value's), joins
 * the current left value with the answer's right value, and forwards the change. A null result
 * (inner join without right value, or deleted left row) is forwarded as a tombstone only when the
 * key is in the result, which the result store tells. Not materialized, old values are unknown
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
    let presence: IndexedBytesStore | undefined;
    const PRESENT = Buffer.alloc(0);
    return {
      init: (c) => {
        context = c;
        getter.init(c as ProcessorContext<unknown, unknown>);
        if (o.output.kind === 'materialized') materialized = c.getStateStore(o.output.storeName);
        else presence = c.getStateStore(o.output.storeName);
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
        let wasPresent: boolean;
        if (materialized !== undefined) {
          oldValue = materialized.get(key)?.value ?? null;
          wasPresent = oldValue !== null;
          if (newValue === null) materialized.delete(key);
          else materialized.put(key, { value: newValue, timestamp: record.timestamp });
        } else {
          wasPresent = presence!.get(record.key) !== undefined;
          if (newValue === null) presence!.delete(record.key);
          else if (!wasPresent) presence!.put(record.key, PRESENT);
        }
        if (newValue === null && !wasPresent) return;
        context.forward({ ...record, key, value: { newValue, oldValue } });
      },
    };
  }
}
