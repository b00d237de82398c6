/**
 * Window store keys as the backing key-value store holds them (and LevelDB keeps them on disk):
 *
 *   [ key bytes (any length) ][ window start: 8 bytes, unsigned big-endian, milliseconds ]
 *
 * The start is a fixed-width suffix, so decoding is unambiguous whatever the key contains, and
 * the windows of one key sort by start. Keys sharing a prefix ("a" and "a\0") can interleave in
 * that order, which is why window lookups go through the in-memory index, not prefix scans.
 */
const START_BYTES = 8;
const TWO_POW_32 = 2 ** 32;

export function encodeWindowKey(key: Buffer, windowStart: number): Buffer {
  const out = Buffer.allocUnsafe(key.length + START_BYTES);
  key.copy(out, 0);
  writeStart(out, key.length, windowStart);
  return out;
}

export function decodeWindowKey(stored: Buffer): { key: Buffer; windowStart: number } {
  if (stored.length < START_BYTES) throw new RangeError('A window key has at least 8 bytes');
  const at = stored.length - START_BYTES;
  return { key: stored.subarray(0, at), windowStart: readStart(stored, at) };
}

/** Writes a non-negative safe integer as 8 bytes, big-endian. */
export function writeStart(out: Buffer, offset: number, windowStart: number): void {
  out.writeUInt32BE(Math.floor(windowStart / TWO_POW_32), offset);
  out.writeUInt32BE(windowStart % TWO_POW_32, offset + 4);
}

export function readStart(buffer: Buffer, offset: number): number {
  return buffer.readUInt32BE(offset) * TWO_POW_32 + buffer.readUInt32BE(offset + 4);
}
