import type { RangeOptions } from '../types.js';

/**
 * A normalized key range, named like LevelDB's iterator options so backends can pass it through.
 * At most one of `lte` and `lt` is set. This is what `_range` hooks receive.
 */
export interface KeyRange {
  gte?: Buffer;
  lte?: Buffer;
  lt?: Buffer;
  reverse: boolean;
}

/** Turns public range options into a KeyRange; undefined when the range is empty (from > to). */
export function toKeyRange(options: RangeOptions): KeyRange | undefined {
  const { from, to } = options;
  if (from !== undefined && to !== undefined && Buffer.compare(from, to) > 0) return undefined;
  const range: KeyRange = { reverse: options.reverse === true };
  if (from !== undefined) range.gte = from;
  if (to !== undefined) range.lte = to;
  return range;
}

/** The range of every key that starts with `prefix`. */
export function prefixRange(prefix: Buffer): KeyRange {
  const range: KeyRange = { reverse: false };
  if (prefix.length === 0) return range;
  range.gte = prefix;
  const end = prefixEnd(prefix);
  if (end !== undefined) range.lt = end;
  return range;
}

/**
 * The smallest key greater than every key that starts with `prefix`: the prefix with its last
 * byte below 0xff incremented and the rest dropped; undefined when every byte is 0xff.
 */
export function prefixEnd(prefix: Buffer): Buffer | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i] as number;
    if (byte < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  return undefined;
}

export function keyInRange(key: Buffer, range: KeyRange): boolean {
  if (range.gte !== undefined && Buffer.compare(key, range.gte) < 0) return false;
  if (range.lte !== undefined && Buffer.compare(key, range.lte) > 0) return false;
  if (range.lt !== undefined && Buffer.compare(key, range.lt) >= 0) return false;
  return true;
}
