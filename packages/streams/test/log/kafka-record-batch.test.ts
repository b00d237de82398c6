import { expect } from 'chai';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import type { KafkaMessage } from 'kafkajs';
import { toLogRecord } from '../../src/log/kafka/kafka-record.js';
import { encodeRecordBatch, nextSequence } from '../../src/log/kafka/record-batch.js';
import type { ProducerRecord } from '../../src/log/types.js';

const require = createRequire(import.meta.url);

interface DecodedBatch {
  firstOffset: string;
  firstTimestamp: string;
  maxTimestamp: string;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  inTransaction: boolean;
  lastOffsetDelta: number;
  records: Array<{ offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer | Buffer[]> }>;
}

/** kafkajs's own record batch decoder: an independent reader of what we write. */
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (decoder: unknown) => Promise<DecodedBatch>;

/** CRC-32C, bit by bit (a reference independent of the table kafkajs and the encoder use). */
function crc32cReference(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const producer = { producerId: '4711', producerEpoch: 3, baseSequence: 42, transactional: false };

const recordArbitrary: fc.Arbitrary<ProducerRecord> = fc.record(
  {
    key: fc.option(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), { nil: null }),
    value: fc.option(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), { nil: null }),
    // kafkajs's decoder assigns header names onto a plain object, so a `__proto__` header cannot
    // come back through it (names like `toString` do: toLogRecord takes the last value).
    headers: fc.dictionary(
      fc.string({ minLength: 1, maxLength: 12 }).filter((name) => name !== '__proto__'),
      fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
      { maxKeys: 3 },
    ),
    timestamp: fc.integer({ min: 0, max: 2 ** 45 }),
  },
  { requiredKeys: ['key', 'value'] },
);

describe('Log > Kafka > record batch', () => {
  it('writes batches that kafkajs decodes to the same records, offsets and producer fields', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recordArbitrary, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 2 ** 40 }), async (records, now) => {
        const buffer = encodeRecordBatch(records, producer, now);
        const batch = await decodeBatch(new Decoder(buffer));
        expect(batch.firstOffset).to.equal('0');
        expect(batch.producerId).to.equal('4711');
        expect(batch.producerEpoch).to.equal(3);
        expect(batch.firstSequence).to.equal(42);
        expect(batch.inTransaction).to.equal(false);
        expect(batch.lastOffsetDelta).to.equal(records.length - 1);
        const timestamps = records.map((r) => r.timestamp ?? now);
        expect(Number(batch.firstTimestamp)).to.equal(Math.min(...timestamps));
        expect(Number(batch.maxTimestamp)).to.equal(Math.max(...timestamps));
        expect(batch.records.map((r) => Number(r.offset))).to.deep.equal(records.map((_, i) => i));
        expect(batch.records.map((r) => Number(r.timestamp))).to.deep.equal(timestamps);
        expect(batch.records.map((r) => r.key)).to.deep.equal(records.map((r) => r.key));
        expect(batch.records.map((r) => r.value)).to.deep.equal(records.map((r) => r.value));
        // Headers as KafkaLog reads them: kafkajs's decoding, then toLogRecord's conversion.
        const readHeaders = batch.records.map((r) => ({ ...toLogRecord('t', 0, r as unknown as KafkaMessage).headers }));
        expect(readHeaders).to.deep.equal(records.map((r) => ({ ...(r.headers ?? {}) })));
      }),
      // A header named like an Object.prototype member (found by this property in CI).
      { numRuns: 200, examples: [[[{ key: null, value: null, headers: { toString: Buffer.alloc(0) } }, { key: null, value: null }], 0]] },
    );
  });

  it('declares its length and checksums everything after the CRC field with CRC-32C', () => {
    fc.assert(
      fc.property(fc.array(recordArbitrary, { minLength: 1, maxLength: 20 }), (records) => {
        const buffer = encodeRecordBatch(records, producer, 1_000);
        expect(buffer.readInt32BE(8)).to.equal(buffer.length - 12);
        expect(buffer.readInt8(16)).to.equal(2);
        expect(buffer.readUInt32BE(17)).to.equal(crc32cReference(buffer.subarray(21)));
      }),
    );
  });

  it('stamps records without a timestamp with the time given, and marks transactional batches', async () => {
    const buffer = encodeRecordBatch([{ key: null, value: Buffer.from('v') }, { key: null, value: null, timestamp: 5 }], { ...producer, transactional: true }, 9_000);
    const batch = await decodeBatch(new Decoder(buffer));
    expect(batch.inTransaction).to.equal(true);
    expect(batch.records.map((r) => r.timestamp)).to.deep.equal(['9000', '5']);
    expect(batch.firstTimestamp).to.equal('5');
  });

  it('writes header names as UTF-8', async () => {
    const buffer = encodeRecordBatch([{ key: null, value: null, headers: { 'naïve-名前': Buffer.from('x') } }], producer, 0);
    const batch = await decodeBatch(new Decoder(buffer));
    expect(Object.keys(batch.records[0]!.headers)).to.deep.equal(['naïve-名前']);
  });

  it('wraps sequence numbers from 2^31 - 1 to 0, as Kafka does', () => {
    expect(nextSequence(0, 5)).to.equal(5);
    expect(nextSequence(0x7fffffff - 5, 5)).to.equal(0x7fffffff);
    expect(nextSequence(0x7fffffff - 5, 6)).to.equal(0);
    expect(nextSequence(0x7fffffff, 10)).to.equal(9);
  });
});
