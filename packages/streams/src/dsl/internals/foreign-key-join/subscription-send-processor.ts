import type { Processor, ProcessorSupplier } from '../../../processor/processor.js';
import type { Serde } from '../../../serde/types.js';
import type { Change } from '../change.js';
import { encodeSubscription, Instruction, valueHash } from './subscription-messages.js';
import { contextualProcessor } from '../contextual-processor.js';

export interface SubscriptionSendOptions<TKey, TValue, TKeyOther> {
  foreignKeyExtractor: (value: TValue, key: TKey) => TKeyOther | null | undefined;
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  otherKeySerde: Serde<TKeyOther>;
  leftJoin: boolean;
}

/**
 * First step of the foreign-key join (Kafka's `SubscriptionSendProcessorSupplier`): turns each
 * left-table update into subscription messages keyed by foreign key. A row moving to another
 * foreign key unsubscribes from the old one; a deleted row (or one whose foreign key became null)
 * unsubscribes and asks for a null answer, so the result row is deleted (inner) or joined with
 * null (left). A row with a null foreign key is never subscribed (use a sentinel key instead).
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
      const send = (fk: Buffer, instruction: Instruction): void =>
        context.forward({ ...record, key: fk, value: encodeSubscription({ instruction, hash, leftKey }) });
      if (oldFk !== null && (newFk === null || !newFk.equals(oldFk))) {
        send(oldFk, newFk === null ? Instruction.DeleteKeyAndPropagate : Instruction.DeleteKeyNoPropagate);
      }
      if (newFk === null) return;
      // A new inner-join row needs no answer without a right value; any other case may have to
      // replace or unset an earlier result.
      send(newFk, !o.leftJoin && oldValue === null ? Instruction.PropagateOnlyIfFkValAvailable : Instruction.PropagateNullIfNoFkValAvailable);
    });
  }
}
