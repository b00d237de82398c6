/**
 * Reads one Airy topic from its beginning to its current end, partition by partition, and keeps
 * the latest record of each key, as Kafka's compaction (and Airy's own KTables) would: an older
 * version of a message or attribute is superseded, a tombstone deletes. A record that does not
 * decode is reported and leaves the key's previous version in place, as Airy's
 * LogAndContinueExceptionHandler did.
 */
import type { Log, LogRecord } from '@parley/streams';
import type { AiryRecordDecoder } from './airy-record-decoder.js';

const PAGE = 1000;

/** The latest state of one key: a decoded value, or a tombstone with the value it deleted (when it was still in the topic). */
export type KeyState = { kind: 'value'; value: unknown; timestamp: number } | { kind: 'tombstone'; deleted: unknown | undefined; timestamp: number };

/** A record the importer could not read. `reason` is stable (it groups the summary); `detail` is the decoder's own message. */
export interface BadRecord {
  topic: string;
  partition: number;
  offset: number;
  reason: string;
  detail?: string;
}

export interface TopicContents {
  /** Records read (every version of every key). */
  records: number;
  latest: Map<string, KeyState>;
  bad: BadRecord[];
  /** Schema-registry ids the records were framed with. */
  schemaIds: Set<number>;
}

/** The topic's partitions with their first and next offsets, and how many records lie between. */
export async function topicExtent(log: Log, topic: string): Promise<{ partitions: Array<{ partition: number; from: number; to: number }>; size: number }> {
  const { partitions } = await log.describeTopic(topic);
  const extent = await Promise.all(
    Array.from({ length: partitions }, async (_, partition) => ({
      partition,
      from: await log.beginningOffset({ topic, partition }),
      to: await log.endOffset({ topic, partition }),
    })),
  );
  return { partitions: extent, size: extent.reduce((sum, p) => sum + p.to - p.from, 0) };
}

export async function readAiryTopic(log: Log, topic: string, decoder: AiryRecordDecoder, onRead: (records: number) => void): Promise<TopicContents> {
  const contents: TopicContents = { records: 0, latest: new Map(), bad: [], schemaIds: new Set() };
  for (const { partition, from, to } of (await topicExtent(log, topic)).partitions) {
    let offset = from;
    while (offset < to) {
      const batch = await log.read({ topic, partition }, offset, { maxRecords: PAGE });
      // An empty read below the end offset: compaction or transaction markers took the rest.
      if (batch.length === 0) break;
      await decoder.prepare(batch.map((r) => r.value));
      for (const record of batch) if (record.offset < to) apply(contents, record, decoder);
      const read = batch.filter((r) => r.offset < to).length;
      contents.records += read;
      onRead(read);
      offset = batch[batch.length - 1]!.offset + 1;
    }
  }
  return contents;
}

function apply(contents: TopicContents, record: LogRecord, decoder: AiryRecordDecoder): void {
  const key = record.key === null ? `@${record.partition}:${record.offset}` : record.key.toString('utf8');
  const previous = contents.latest.get(key);
  if (record.value === null) {
    contents.latest.set(key, { kind: 'tombstone', deleted: previous?.kind === 'value' ? previous.value : undefined, timestamp: record.timestamp });
    return;
  }
  const decoded = decoder.decode(record.value);
  if ('reason' in decoded) {
    contents.bad.push({ topic: record.topic, partition: record.partition, offset: record.offset, ...decoded });
    return;
  }
  contents.schemaIds.add(decoded.schemaId);
  contents.latest.set(key, { kind: 'value', value: decoded.value, timestamp: record.timestamp });
}
