import type { ProcessorContext } from '../../../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../../../processor/processor.js';
import type { Serde } from '../../../../serde/types.js';
import type { IndexedBytesStore } from '../join-stores/indexed-store-builder.js';
import type { KTableValueGetterSupplier } from '../../tables/k-table-value-getter.js';
import {
  decodeSubscription,
  encodeResponse,
  encodeStoredSubscription,
  Instruction,
  subscriptionKey,
} from './subscription-messages.js';

export interface SubscriptionReceiveOptions<TKeyOther, TValueOther> {
  storeName: string;
  other: KTableValueGetterSupplier<TKeyOther, TValueOther>;
  otherKeySerde: Serde<TKeyOther>;
  otherValueSerde: Serde<TValueOther>;
}

/**
 * Second step, on the foreign key's partition (Kafka's `SubscriptionReceiveProcessorSupplier`
 * and `SubscriptionJoinProcessorSupplier`): records or forgets the subscription in the
 * subscription store, then answers the left key with the right table's current value as the
 * instruction asks. Every answer, a null one included, takes the later timestamp of the two rows.
 */
export class SubscriptionReceiveProcessor<TKeyOther, TValueOther> implements ProcessorSupplier<Buffer, Buffer, Buffer, Buffer> {
  readonly #o: SubscriptionReceiveOptions<TKeyOther, TValueOther>;

  constructor(options: SubscriptionReceiveOptions<TKeyOther, TValueOther>) {
    this.#o = options;
  }

  get(): Processor<Buffer, Buffer, Buffer, Buffer> {
    const o = this.#o;
    const getter = o.other.get();
    let context: ProcessorContext<Buffer, Buffer>;
    let store: IndexedBytesStore;
    return {
      init: (c) => {
        context = c;
        store = c.getStateStore(o.storeName);
        getter.init(c as ProcessorContext<unknown, unknown>);
      },
      process: (record) => {
        if (record.value === null) return;
        const subscription = decodeSubscription(record.value);
        const answer = (rightValue: Buffer | null, timestamp: number): void =>
          context.forward({ ...record, key: subscription.leftKey, value: encodeResponse({ hash: subscription.hash, rightValue }), timestamp });
        if (record.key === null) {
          // A left-join row without a foreign key: nothing to remember, the answer is null.
          if (subscription.instruction === Instruction.PropagateNullIfNoFkValAvailable) answer(null, record.timestamp);
          return;
        }
        const key = subscriptionKey(record.key, subscription.leftKey);
        const right = getter.get(o.otherKeySerde.deserialize(record.key));
        const timestamp = right === undefined ? record.timestamp : Math.max(record.timestamp, right.timestamp);
        switch (subscription.instruction) {
          case Instruction.DeleteKeyNoPropagate:
            store.delete(key);
            return;
          case Instruction.DeleteKeyAndPropagate:
            store.delete(key);
            answer(null, timestamp);
            return;
          case Instruction.PropagateNullIfNoFkValAvailable:
          case Instruction.PropagateOnlyIfFkValAvailable:
            store.put(key, encodeStoredSubscription(record.timestamp, subscription.hash));
            if (right !== undefined) answer(o.otherValueSerde.serialize(right.value), timestamp);
            else if (subscription.instruction === Instruction.PropagateNullIfNoFkValAvailable) answer(null, timestamp);
            return;
        }
      },
    };
  }
}
