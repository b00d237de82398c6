/**
 * One Produce request (versions 3–7, one layout) to one broker, with record batches encoded by
 * record-batch.ts, sent on the broker's kafkajs connection and answered per partition.
 */
import { createErrorFromCode, produceProtocol, sendRaw, type Broker, type ProtocolRequest } from './kafkajs-internals.js';

/** One partition's batch in a request. */
export interface PartitionBatch {
  partition: number;
  /** An encoded record batch (record-batch.ts). */
  batch: Buffer;
}

/** A partition's answer: the offset of its batch's first record, or the error Kafka gave for it. */
export type PartitionAnswer = { partition: number; baseOffset: number } | { partition: number; error: Error };

interface DecodedProduceResponse {
  topics: Array<{ topicName: string; partitions: Array<{ partition: number; errorCode: number; baseOffset: string }> }>;
}

/** The request body: transactional_id, acks, timeout_ms, then one topic with its partitions. */
function encodeBody(topic: string, batches: readonly PartitionBatch[], timeoutMs: number, transactionalId: string | null): Buffer {
  const topicBytes = Buffer.byteLength(topic);
  const idBytes = transactionalId === null ? 0 : Buffer.byteLength(transactionalId);
  let size = 2 + idBytes + 2 + 4 + 4 + 2 + topicBytes + 4;
  for (const b of batches) size += 4 + 4 + b.batch.length;
  const buf = Buffer.allocUnsafe(size);
  let at = buf.writeInt16BE(transactionalId === null ? -1 : idBytes, 0);
  if (transactionalId !== null) at += buf.write(transactionalId, at);
  at = buf.writeInt16BE(-1, at); // acks: all in-sync replicas
  at = buf.writeInt32BE(timeoutMs, at);
  at = buf.writeInt32BE(1, at); // one topic
  at = buf.writeInt16BE(topicBytes, at);
  at += buf.write(topic, at);
  at = buf.writeInt32BE(batches.length, at);
  for (const { partition, batch } of batches) {
    at = buf.writeInt32BE(partition, at);
    at = buf.writeInt32BE(batch.length, at);
    at += batch.copy(buf, at);
  }
  return buf;
}

/**
 * Sends `batches` of `topic` to `broker` (their leader) with acks=all and answers per partition.
 * Connection failures and timeouts reject, as kafkajs's own requests do.
 */
export async function produce(broker: Broker, topic: string, batches: readonly PartitionBatch[], timeoutMs: number): Promise<PartitionAnswer[]> {
  const { apiVersion, response } = produceProtocol(broker);
  const body = encodeBody(topic, batches, timeoutMs, null);
  const request: ProtocolRequest = {
    apiKey: 0,
    apiVersion,
    apiName: 'Produce',
    expectResponse: () => true,
    encode: async () => ({ buf: body, buffer: body }),
  };
  // decode only: parse would throw on the first failed partition, and each needs its own answer.
  const decodeOnly = { decode: (payload: Buffer) => response.decode(payload), parse: async (decoded: unknown) => decoded };
  const decoded = (await sendRaw(broker, request, decodeOnly)) as DecodedProduceResponse;
  const answers: PartitionAnswer[] = [];
  for (const t of decoded.topics) {
    if (t.topicName !== topic) continue;
    for (const p of t.partitions) {
      answers.push(p.errorCode === 0 ? { partition: p.partition, baseOffset: Number(p.baseOffset) } : { partition: p.partition, error: createErrorFromCode(p.errorCode) });
    }
  }
  return answers;
}
