/** `@parley/streams/kafka`: the Apache Kafka Log backend (loads kafkajs). */
export { KafkaLog } from './log/kafka/kafka-log.js';
export type { KafkaLogOptions, KafkaLogLevel } from './log/kafka/kafka-log-options.js';
