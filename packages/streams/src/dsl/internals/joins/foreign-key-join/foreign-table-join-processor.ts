import type { ProcessorContext } from '../../../../processor/processor-context.js';
import type { Processor, ProcessorSupplier } from '../../../../processor/processor.js';
import type { Serde } from '../../../../serde/types.js';
import type { Change } from '../../tables/change.js';
import type { IndexedBytesStore } from '../join-stores/indexed-store-builder.js';
import { decodeStoredSubscription, encodeResponse, leftKeyOf, subscriptionPrefix } from './subscription-messages.js';

/**
 * The right table's side (Kafka's `ForeignTableJoinProcessorSupplier`): an update of a right row
 * is sent to every left row subscribed to its key, found by a prefix scan of the subscription
 * store (synchronous: the store keeps an index of its keys). One right update thus yields one
 * result per referencing left row, stamped with the right record's timestamp; a tombstone answers
 * too, even for a right row that did not exist (as in Kafka Streams).
 */
export class ForeignTableJoinProcessor<TKeyOther, TValueOther> implements ProcessorSupplier<TKeyOther, Change<TValueOther>, Buffer, Buffer> {
  readonly #o: { storeName: string; otherKeySerde: Serde<TKeyOther>; otherValueSerde: Serde<TValueOther> };

  constructor(options: { storeName: string; otherKeySerde: Serde<TKeyOther>; otherValueSerde: Serde<TValueOther> }) {
    this.#o = options;
  }

  get(): Processor<TKeyOther, Change<TValueOther>, Buffer, Buffer> {
    const o = this.#o;
    let context: ProcessorContext<Buffer, Buffer>;
    let store: IndexedBytesStore;
    return {
      init: (c) => {
        context = c;
        store = c.getStateStore(o.storeName);
      },
      process: (record) => {
        if (record.key === null || record.key === undefined) return;
        const { newValue } = record.value;
        const rightValue = newValue === null ? null : o.otherValueSerde.serialize(newValue);
        for (const { key, value } of store.prefixScan(subscriptionPrefix(o.otherKeySerde.serialize(record.key)))) {
          const stored = decodeStoredSubscription(value);
          context.forward({
            ...record,
            key: leftKeyOf(key),
            value: encodeResponse({ hash: stored.hash, rightValue }),
          });
        }
      },
    };
  }
}
