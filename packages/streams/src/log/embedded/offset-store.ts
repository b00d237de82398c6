import * as fs from 'node:fs';
import * as path from 'node:path';
import { StreamsError } from '../../errors.js';
import type { TopicPartitionOffset } from '../types.js';

/**
 * Committed offsets of every consumer group, one JSON file per group. A commit writes a
 * temporary file and renames it over the old one, so a crash leaves either the old or the new
 * commit, never a torn one.
 */
export class OffsetStore {
  readonly #dir: string;
  readonly #groups = new Map<string, Map<string, number>>();

  constructor(dir: string) {
    this.#dir = dir;
    fs.mkdirSync(dir, { recursive: true });
    for (const name of fs.readdirSync(dir)) {
      if (!name.endsWith('.json')) continue;
      const groupId = decodeURIComponent(name.slice(0, -5));
      const entries = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Record<string, number>;
      this.#groups.set(groupId, new Map(Object.entries(entries)));
    }
  }

  /** Writes the group's new offsets; they count (in memory too) only once the file is in place. */
  commit(groupId: string, offsets: TopicPartitionOffset[], durable: boolean): void {
    const group = new Map(this.#groups.get(groupId));
    for (const { topic, partition, offset } of offsets) group.set(`${topic}/${partition}`, offset);
    const file = this.#file(groupId);
    const tmp = `${file}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(group)), { flush: durable });
      fs.renameSync(tmp, file);
    } catch (cause) {
      fs.rmSync(tmp, { force: true });
      const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
      throw new StreamsError('STREAMS_LOG_IO', `cannot commit offsets of group ${groupId}: ${code}`, { cause, retriable: true });
    }
    this.#groups.set(groupId, group);
  }

  committed(groupId: string, topic?: string): TopicPartitionOffset[] {
    const out: TopicPartitionOffset[] = [];
    for (const [key, offset] of this.#groups.get(groupId) ?? []) {
      const slash = key.lastIndexOf('/');
      const t = key.slice(0, slash);
      if (topic === undefined || t === topic) out.push({ topic: t, partition: Number(key.slice(slash + 1)), offset });
    }
    return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  /** The committed offset of one partition, if any. */
  offsetOf(groupId: string, topic: string, partition: number): number | undefined {
    return this.#groups.get(groupId)?.get(`${topic}/${partition}`);
  }

  deleteGroup(groupId: string): void {
    this.#groups.delete(groupId);
    fs.rmSync(this.#file(groupId), { force: true });
  }

  /** Forgets a topic's offsets in every group (the topic was deleted). */
  forgetTopic(topic: string, durable: boolean): void {
    for (const [groupId, group] of this.#groups) {
      const before = group.size;
      for (const key of [...group.keys()]) if (key.slice(0, key.lastIndexOf('/')) === topic) group.delete(key);
      if (group.size !== before) this.commit(groupId, [], durable);
    }
  }

  #file(groupId: string): string {
    return path.join(this.#dir, `${encodeURIComponent(groupId)}.json`);
  }
}
