import type { Log } from '@parley/streams';

/** Records per streams benchmark run and the key space of the stateful ones. */
export const STREAM_RECORDS = 300_000;
export const KEY_SPACE = 100_000;

const VALUE = 'x'.repeat(100);

/** Appends `count` records with keys over `keySpace` (string keys, ~100 B string values). */
export async function fillTopic(log: Log, topic: string, count: number, keySpace: number, partitions = 1): Promise<void> {
  await log.createTopics([{ name: topic, partitions }], { ifNotExists: true });
  for (let start = 0; start < count; start += 5000) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + 5000); i++) {
      batch.push({ key: Buffer.from(`key-${i % keySpace}`), value: Buffer.from(`${i % 10 === 0 ? 'drop' : 'keep'}:${VALUE}`), timestamp: i });
    }
    await log.append(topic, batch);
  }
}

/** A join's table: one record per key of the stream's key space, at timestamp 0 (before every stream record). */
export async function fillTable(log: Log, topic: string, keySpace: number): Promise<void> {
  await log.createTopics([{ name: topic }], { ifNotExists: true });
  for (let start = 0; start < keySpace; start += 5000) {
    const batch = [];
    for (let i = start; i < Math.min(keySpace, start + 5000); i++) {
      batch.push({ key: Buffer.from(`key-${i}`), value: Buffer.from(`profile-${i}`), timestamp: 0 });
    }
    await log.append(topic, batch);
  }
}
