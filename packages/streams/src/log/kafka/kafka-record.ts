import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { LogRecord, ProducerRecord, RecordHeaders } from '../types.js';

/** A producer record as kafkajs sends it, on an already chosen partition. */
export function toKafkaMessage(record: ProducerRecord, partition: number): Message {
  const message: Message = { key: record.key, value: record.value, partition };
  if (record.headers !== undefined) message.headers = { ...record.headers };
  if (record.timestamp !== undefined) message.timestamp = String(Math.trunc(record.timestamp));
  return message;
}

/** Kafka allows a header name to repeat; like the Java client's `lastHeader`, the last one wins. */
function toHeaders(headers: IHeaders | undefined): RecordHeaders {
  const out: RecordHeaders = {};
  if (!headers) return out;
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined) continue;
    out[name] = Buffer.isBuffer(value) ? value : Buffer.from(value);
  }
  return out;
}

/** A record decoded by kafkajs as a LogRecord. */
export function toLogRecord(topic: string, partition: number, message: KafkaMessage): LogRecord {
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key ?? null,
    value: message.value ?? null,
    headers: toHeaders(message.headers),
    timestamp: Number(message.timestamp),
  };
}

/** Offset after the Kafka record batch that holds `message` (records may be missing inside it after compaction). */
export function batchEndOffset(message: KafkaMessage): number {
  const context = (message as { batchContext?: { firstOffset?: string; lastOffsetDelta?: number } }).batchContext;
  if (context?.firstOffset !== undefined && context.lastOffsetDelta !== undefined) {
    return Number(context.firstOffset) + context.lastOffsetDelta + 1;
  }
  return Number(message.offset) + 1;
}
