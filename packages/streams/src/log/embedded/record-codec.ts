import { crc32 } from 'node:zlib';
import type { RecordHeaders } from '../types.js';

/**
 * On-disk frame of one record in a segment file (all integers little-endian):
 *
 *   u32 frameLength   bytes after this field
 *   u32 crc32         over every byte after this field
 *   f64 offset        integral; exact up to 2^53
 *   f64 timestamp     milliseconds
 *   i32 keyLength     -1 for a null key, then the key bytes
 *   i32 valueLength   -1 for a null value (tombstone), then the value bytes
 *   u16 headerCount   then per header: u16 nameLength, UTF-8 name, i32 valueLength, value bytes
 *
 * A torn write (the process killed mid-append) leaves a frame whose length runs past the end of
 * the file or whose CRC does not match; recovery truncates the segment there when nothing valid
 * follows, and steps over (and reports) such bytes when complete records follow (see Segment).
 */

export const FRAME_PREFIX = 8;
const FIXED_BODY = 8 + 8 + 4 + 4 + 2;
/** The smallest frame: null key, null value, no headers. */
export const FRAME_MIN_SIZE = FRAME_PREFIX + FIXED_BODY;

export interface FrameInput {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeaders | undefined;
}

export interface DecodedFrame {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeaders;
  /** Bytes the whole frame occupies, prefix included. */
  size: number;
}

/** Encoded size of a record's frame, prefix included. */
export function frameSize(record: FrameInput): number {
  let size = FRAME_PREFIX + FIXED_BODY + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  if (record.headers) {
    for (const name in record.headers) size += 2 + Buffer.byteLength(name) + 4 + record.headers[name]!.length;
  }
  return size;
}

/** Writes one frame at `pos` of `target` (which must have room for `frameSize(record)`); returns the next position. */
export function encodeFrame(record: FrameInput, target: Buffer, pos: number): number {
  const start = pos;
  pos += FRAME_PREFIX;
  target.writeDoubleLE(record.offset, pos);
  target.writeDoubleLE(record.timestamp, pos + 8);
  pos += 16;
  pos = writeBytes(target, pos, record.key);
  pos = writeBytes(target, pos, record.value);
  const headerCountPos = pos;
  pos += 2;
  let headerCount = 0;
  if (record.headers) {
    for (const name in record.headers) {
      const nameLength = target.write(name, pos + 2, 'utf8');
      target.writeUInt16LE(nameLength, pos);
      pos = writeBytes(target, pos + 2 + nameLength, record.headers[name]!);
      headerCount++;
    }
  }
  target.writeUInt16LE(headerCount, headerCountPos);
  target.writeUInt32LE(pos - start - 4, start);
  target.writeUInt32LE(crc32(target.subarray(start + FRAME_PREFIX, pos)), start + 4);
  return pos;
}

function writeBytes(target: Buffer, pos: number, bytes: Buffer | null): number {
  if (bytes === null) {
    target.writeInt32LE(-1, pos);
    return pos + 4;
  }
  target.writeInt32LE(bytes.length, pos);
  bytes.copy(target, pos + 4);
  return pos + 4 + bytes.length;
}

/**
 * Decodes the frame at `pos` of `source`, or returns undefined when the bytes there are not a
 * whole valid frame (incomplete at the end of `source`, or corrupt). Key, value and header
 * buffers are views into `source`, not copies.
 */
export function decodeFrame(source: Buffer, pos: number): DecodedFrame | undefined {
  if (pos + FRAME_PREFIX > source.length) return undefined;
  const bodyLength = source.readUInt32LE(pos) - 4;
  const bodyStart = pos + FRAME_PREFIX;
  const end = bodyStart + bodyLength;
  if (bodyLength < FIXED_BODY || end > source.length) return undefined;
  if (crc32(source.subarray(bodyStart, end)) !== source.readUInt32LE(pos + 4)) return undefined;
  let p = bodyStart;
  const offset = source.readDoubleLE(p);
  const timestamp = source.readDoubleLE(p + 8);
  p += 16;
  const keyLength = source.readInt32LE(p);
  const key = keyLength < 0 ? null : source.subarray(p + 4, p + 4 + keyLength);
  p += 4 + Math.max(keyLength, 0);
  const valueLength = source.readInt32LE(p);
  const value = valueLength < 0 ? null : source.subarray(p + 4, p + 4 + valueLength);
  p += 4 + Math.max(valueLength, 0);
  const headerCount = source.readUInt16LE(p);
  p += 2;
  const headers: RecordHeaders = {};
  for (let i = 0; i < headerCount; i++) {
    const nameLength = source.readUInt16LE(p);
    const name = source.toString('utf8', p + 2, p + 2 + nameLength);
    p += 2 + nameLength;
    const length = source.readInt32LE(p);
    headers[name] = source.subarray(p + 4, p + 4 + length);
    p += 4 + length;
  }
  return { offset, timestamp, key, value, headers, size: end - pos };
}

/** Reads only the offset of the (already validated) frame at `pos`. */
export function frameOffset(source: Buffer, pos: number): number {
  return source.readDoubleLE(pos + FRAME_PREFIX);
}
