import type { Processor, ProcessorSupplier } from '../../../../processor/processor.js';
import type { Serde } from '../../../../serde/types.js';
import type { Change } from '../../tables/change.js';
import { encodeSubscription, Instruction, valueHash } from './subscription-messages.js';
import { contextualProcessor } from '../../contextual-processor.js';

export interface SubscriptionSendOptions<TKey, TValue, TKeyOther> {
  foreignKeyExtractor: (value: TValue, key: TKey) => TKeyOther | null | undefined;
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  otherKeySerde: Serde<TKeyOther>;
  leftJoin: boolean;
}

/**
 * First step of the foreign-key join (Kafka's `SubscriptionSendProcessorSupplier`): turns each
 * left-table update into subscription messages keyed by foreign key, with Kafka Streams'
 * instructions (the differential suite checks the outputs): a row moving to another foreign key
 * unsubscribes from the old one; a deleted row (or one whose foreign key became null)
 * unsubscribes and asks for a null answer, so its result becomes a tombstone — forwarded even
 * when the row never joined, as Kafka does. In an inner join a row with a null foreign key is
 * never subscribed; in a left join it joins with null.
 */
export class SubscriptionSendProcessor<TKey, TValue, TKeyOther> implements ProcessorSupplier<TKey, Change<TValue>, Buffer, Buffer> {
  readonly #o: SubscriptionSendOptions<TKey, TValue, TKeyOther>;

  constructor(options: SubscriptionSendOptions<TKey, TValue, TKeyOther>) {
    this.#o = options;
  }

  get(): Processor<TKey, Change<TValue>, Buffer, Buffer> {
    const o = this.#o;
    const foreignKey = (key: TKey, value: TValue | null): Buffer | null => {
      if (value === null) return null;
      const fk = o.foreignKeyExtractor(value, key);
      return fk === null || fk === undefined ? null : o.otherKeySerde.serialize(fk);
    };
    return contextualProcessor((record, context) => {
      if (record.key === null || record.key === undefined) return;
      const { newValue, oldValue } = record.value;
      const newFk = foreignKey(record.key, newValue);
      const oldFk = foreignKey(record.key, oldValue);
      const leftKey = o.keySerde.serialize(record.key);
      const hash = valueHash(newValue === null ? null : o.valueSerde.serialize(newValue));
      const send = (fk: Buffer | null, instruction: Instruction): void =>
        // A null key is a left-join row without a foreign key (see below); the receiver expects it.
        context.forward({ ...record, key: fk as Buffer, value: encodeSubscription({ instruction, hash, leftKey }) });
      const moved = oldFk !== null && (newFk === null || !newFk.equals(oldFk));
      if (o.leftJoin) {
        if (newValue === null && oldValue === null) return;
        if (moved) send(oldFk, Instruction.DeleteKeyNoPropagate);
        // Every left update needs an answer. Without a foreign key (a deleted row, or a null
        // foreign key) the subscription goes out with a null key: no right row can match, so the
        // answer is null, stamped with this record's time (Kafka Streams does the same).
        send(newFk, Instruction.PropagateNullIfNoFkValAvailable);
        return;
      }
      if (newFk === null) {
        // Deleted, or no foreign key any more: a tombstone, even if the old row never joined
        // (nothing here knows whether it did; Kafka Streams sends it too).
        if (oldFk !== null) send(oldFk, Instruction.DeleteKeyAndPropagate);
        return;
      }
      if (moved) {
        send(oldFk, Instruction.DeleteKeyNoPropagate);
        // The old row may have joined: a null answer deletes its result.
        send(newFk, Instruction.PropagateNullIfNoFkValAvailable);
        return;
      }
      // Insert, or an update with the same foreign key: without a right value there was no
      // result before either, so only a match needs an answer.
      send(newFk, Instruction.PropagateOnlyIfFkValAvailable);
    });
  }
}
