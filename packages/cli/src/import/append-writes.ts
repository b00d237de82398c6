/**
 * Appends planned records through the runtime's `topics.produce` (base64 keys and values, Airy's
 * timestamps), in order, in requests within the runtime's body limit.
 */
import type { RuntimeClient } from '../runtime-client.js';
import { groupByTopic, type Write } from './changed-writes.js';
import type { Progress } from './progress.js';

/** Bounds of one request: the runtime's default body limit (`http.bodyLimitBytes`) is 1 MiB. */
const MAX_BATCH_RECORDS = 1000;
const MAX_BATCH_BYTES = 700 * 1024;

/** Why a record that does not fit one request is not written. */
export const TOO_LARGE = 'larger than one topics.produce request may be (raise http.bodyLimitBytes)';

export function fitsOneRequest(write: Write): boolean {
  return producedSize(write) <= MAX_BATCH_BYTES;
}

/** Appends the writes (each must fit one request) and returns them once written. */
export async function appendWrites(client: RuntimeClient, writes: readonly Write[], progress: Progress): Promise<Write[]> {
  const written: Write[] = [];
  try {
    for (const [topic, group] of groupByTopic(writes)) {
      let batch: Write[] = [];
      let bytes = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await client.topicsProduce({ name: topic, base64: true, records: batch.map(toProduced) });
        written.push(...batch);
        progress.update(`writing ${topic}`, written.length, writes.length);
        batch = [];
        bytes = 0;
      };
      for (const write of group) {
        const size = producedSize(write);
        if (batch.length === MAX_BATCH_RECORDS || bytes + size > MAX_BATCH_BYTES) await flush();
        batch.push(write);
        bytes += size;
      }
      await flush();
    }
  } finally {
    progress.stop();
  }
  return written;
}

function toProduced(write: Write): { key: string; value: string | null; timestamp: number } {
  return { key: Buffer.from(write.key, 'utf8').toString('base64'), value: write.value === null ? null : write.value.toString('base64'), timestamp: write.timestamp };
}

/** Bytes of the record in the request's JSON (base64 grows by a third). */
function producedSize(write: Write): number {
  return Math.ceil(((Buffer.byteLength(write.key) + (write.value?.length ?? 0)) * 4) / 3) + 64;
}
