/** Migration from Airy Core: read its Kafka topics, plan Parley records (see docs/migration-from-airy.md). */
export { planAiryImport } from './airy-import-plan.js';
export { CONTACTS_TOPIC, reconcileAiryContacts } from './airy-contact-reconciliation.js';
export type { ContactReconciliationInput } from './airy-contact-reconciliation.js';
export type { AiryImportOptions, AiryImportPlan, AiryTopicReport, PlannedWrite } from './airy-import-plan.js';
export type { BadRecord } from './airy-topic-reader.js';
export { AIRY_DATASETS } from './airy-datasets.js';
export * from './airy-schemas.js';
export { confluentFrame, readConfluentFrame } from './confluent-frame.js';
export { mapChannel, mapMessage, mapMetadata, mapReadReceipt, mapSource, mapTag, mapTemplate } from './airy-mapping.js';
export type { MapResult, ParleyWrite } from './airy-mapping.js';
export { AiryRecordDecoder } from './airy-record-decoder.js';
export type { AiryRecordDecoderOptions, Decoded, WriterSchemaLookup } from './airy-record-decoder.js';
export { AiryRegistryError, schemaRegistryLookup } from './schema-registry.js';
