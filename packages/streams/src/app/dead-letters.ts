import type { LogRecord, RecordHeaders } from '../log/types.js';
import type { RecordCollector } from '../processor/internals/record-collector.js';

/**
 * Sends an input record that could not be processed to the dead-letter topic: the original key,
 * value and headers, plus headers saying where it came from and why it failed.
 */
export function sendToDeadLetterTopic(collector: RecordCollector, topic: string, record: LogRecord, reason: unknown): void {
  const err = reason as { code?: unknown; message?: unknown };
  const headers: RecordHeaders = {
    ...record.headers,
    'parley.dlq.reason': Buffer.from(typeof err?.message === 'string' ? err.message : String(reason)),
    'parley.dlq.code': Buffer.from(typeof err?.code === 'string' ? err.code : 'UNKNOWN'),
    'parley.dlq.topic': Buffer.from(record.topic),
    'parley.dlq.partition': Buffer.from(String(record.partition)),
    'parley.dlq.offset': Buffer.from(String(record.offset)),
  };
  collector.send({ topic, key: record.key, value: record.value, headers, timestamp: record.timestamp });
}
