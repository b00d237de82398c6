/**
 * Several values in one stored value, for stores that keep every record of a key and time (join
 * windows, where two records may share both): each value as a 4-byte big-endian length then its
 * bytes.
 */
export function encodeValueList(values: readonly Buffer[]): Buffer {
  const out = Buffer.allocUnsafe(values.reduce((n, v) => n + 4 + v.length, 0));
  let at = 0;
  for (const value of values) {
    out.writeUInt32BE(value.length, at);
    value.copy(out, at + 4);
    at += 4 + value.length;
  }
  return out;
}

export function decodeValueList(bytes: Buffer): Buffer[] {
  const values: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    values.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return values;
}

/** Appends one value to an encoded list (or starts one). */
export function appendToValueList(existing: Buffer | undefined, value: Buffer): Buffer {
  const entry = encodeValueList([value]);
  return existing === undefined ? entry : Buffer.concat([existing, entry]);
}
