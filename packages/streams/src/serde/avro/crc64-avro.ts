/**
 * CRC-64-AVRO, the 64-bit Rabin fingerprint the Avro specification defines for schema
 * fingerprints ("Schema Fingerprints" in the spec; Java's SchemaNormalization.fingerprint64).
 * avsc only offers the hashes of node:crypto (MD5 by default, SHA-256, …), none of which is
 * this one, so it is written out here from the spec's reference algorithm. It runs once per
 * schema, never per record, so BigInt arithmetic is fast enough.
 */

const EMPTY = 0xc15d213aa4d7a795n;
const MASK_64 = 0xffffffffffffffffn;

let table: BigUint64Array | undefined;

function fingerprintTable(): BigUint64Array {
  if (table !== undefined) return table;
  table = new BigUint64Array(256);
  for (let i = 0; i < 256; i++) {
    let fp = BigInt(i);
    for (let j = 0; j < 8; j++) {
      // fp >>> 1, then xor EMPTY when the low bit was set (the spec's `EMPTY & -(fp & 1L)`).
      fp = (fp >> 1n) ^ ((fp & 1n) === 1n ? EMPTY : 0n);
    }
    table[i] = fp;
  }
  return table;
}

/** The CRC-64-AVRO fingerprint of `bytes` as an unsigned 64-bit bigint. */
export function crc64Avro(bytes: Uint8Array): bigint {
  const t = fingerprintTable();
  let fp = EMPTY;
  for (const byte of bytes) {
    fp = ((fp >> 8n) ^ (t[Number((fp ^ BigInt(byte)) & 0xffn)] as bigint)) & MASK_64;
  }
  return fp;
}
