import { parseMetadataSubject, type Metadata, type MetadataChange } from '@parley/schemas';
import type { Processor, ProcessorContext, StreamRecord, TypedKeyValueStore } from '@parley/streams';
import type { MetadataKeyRef } from '../serdes.js';
import { COMMUNICATION_STORES } from '../store-names.js';

/**
 * Reads the metadata and contacts topics (key: `metadataId(subject, key)`) and re-keys every
 * change by subject. A Kafka tombstone carries no subject or key, only the record key, so the
 * `metadata-keys` store remembers what each record key stands for; the tombstone becomes a
 * deletion `{ key, value: null, timestamp }` at the record's timestamp (the time of the deletion,
 * as the writers set it). Records of subjects this version does not know are skipped.
 */
export class MetadataRouter implements Processor<string, Metadata | null, string, MetadataChange> {
  #context!: ProcessorContext<string, MetadataChange>;
  #keys!: TypedKeyValueStore<string, MetadataKeyRef>;

  init(context: ProcessorContext<string, MetadataChange>): void {
    this.#context = context;
    this.#keys = context.getStateStore(COMMUNICATION_STORES.metadataKeys);
  }

  process(record: StreamRecord<string, Metadata | null>): void {
    const { key: recordKey, value } = record;
    if (value === null) {
      if (recordKey === null) return;
      const ref = this.#keys.delete(recordKey);
      if (ref === undefined) return;
      this.#context.forward({ ...record, key: ref.subject, value: { key: ref.key, value: null, timestamp: record.timestamp } });
      return;
    }
    if (parseMetadataSubject(value.subject) === undefined || !Number.isFinite(value.timestamp)) return;
    if (recordKey !== null) this.#keys.put(recordKey, { subject: value.subject, key: value.key });
    const change: MetadataChange = { key: value.key, value: value.value, valueType: value.valueType, timestamp: value.timestamp };
    this.#context.forward({ ...record, key: value.subject, value: change });
  }
}
