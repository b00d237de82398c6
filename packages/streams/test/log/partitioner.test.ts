import { expect } from 'chai';
import fc from 'fast-check';
import { murmur2, partitionForKey } from '../../src/log/partitioner.js';

// Vectors from Apache Kafka's UtilsTest.testMurmur2 (clients/src/test/.../utils/UtilsTest.java).
const KAFKA_MURMUR2_VECTORS: Array<[string, number]> = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

describe('Log > partitioner', () => {
  for (const [input, expected] of KAFKA_MURMUR2_VECTORS) {
    it(`hashes "${input}" to the same value as Kafka's Java murmur2`, () => {
      expect(murmur2(Buffer.from(input))).to.equal(expected);
    });
  }

  it('picks the partition Kafka picks: positive hash modulo the partition count', () => {
    for (const [input, hash] of KAFKA_MURMUR2_VECTORS) {
      expect(partitionForKey(Buffer.from(input), 7)).to.equal((hash & 0x7fffffff) % 7);
    }
  });

  it('always returns a partition in range for any key and count', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 1, max: 1000 }), (key, n) => {
        const p = partitionForKey(key, n);
        return Number.isInteger(p) && p >= 0 && p < n;
      }),
    );
  });

  it('rejects a partition count below one with a RangeError', () => {
    expect(() => partitionForKey(Buffer.from('k'), 0)).to.throw(RangeError);
  });
});
