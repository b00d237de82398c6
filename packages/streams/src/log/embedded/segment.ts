import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { StreamsError } from '../../errors.js';
import { decodeFrame, encodeFrame, FRAME_PREFIX, FRAME_MIN_SIZE, frameSize, type DecodedFrame, type FrameInput } from './record-codec.js';
import type { SegmentFs } from './segment-fs.js';

/** Bytes between two entries of the sparse offset index (Kafka's index.interval.bytes). */
const INDEX_INTERVAL_BYTES = 4096;
/** Bytes read from disk at a time when scanning a segment. */
const READ_CHUNK_BYTES = 1 << 20;

/** Damage found in a segment when it opened: bytes that are no record, with complete records after them. */
export interface SegmentCorruption {
  file: string;
  /** Byte position of the damage in the file. */
  position: number;
  /** How many bytes were skipped to the next complete record. */
  length: number;
  /** Offset of the first record kept after the damage. */
  resumedAtOffset: number;
}

/** What a segment does its I/O with, and whom it tells about damage found on open. */
export interface SegmentIo {
  fs: SegmentFs;
  onCorruption(corruption: SegmentCorruption): void;
}

export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

/**
 * One segment file of a partition: records with offsets from `baseOffset` up to (not including)
 * the next segment's base. All I/O is synchronous: the embedded log runs in one thread and a
 * synchronous write that returned is in the OS page cache, which survives a crash of the process.
 * Only the active segment keeps its file open; a sealed one opens it for the length of a scan,
 * so a long log does not hold a file descriptor per segment.
 *
 * Failure atomicity: an append that fails (a short write, ENOSPC, EIO, a failed fdatasync) is
 * cut back off the file and leaves the bookkeeping untouched, so the segment is exactly as
 * before it. If even the cut fails, nothing more is written until a later append manages it:
 * no record ever lands behind a partial one.
 */
export class Segment {
  readonly baseOffset: number;
  readonly file: string;
  readonly #io: SegmentIo;
  /** Open while the segment is active (appendable); undefined once sealed. */
  #fd: number | undefined;
  #size = 0;
  /** Offset after the last record in this segment (baseOffset when empty). */
  #nextOffset: number;
  #maxTimestamp = -Infinity;
  #recordCount = 0;
  // Sparse index: the file position of every record that starts a new INDEX_INTERVAL_BYTES span.
  #indexOffsets: number[] = [];
  #indexPositions: number[] = [];
  #bytesSinceIndex = Infinity;
  /** Damaged byte ranges found on open (start → end), which reads step over. */
  readonly #skips = new Map<number, number>();
  /** True while a failed append's bytes may still be past `#size` in the file. */
  #dirtyTail = false;

  private constructor(file: string, baseOffset: number, fd: number, io: SegmentIo) {
    this.file = file;
    this.#io = io;
    this.baseOffset = baseOffset;
    this.#nextOffset = baseOffset;
    this.#fd = fd;
  }

  /** Opens (creating if missing) the segment, rebuilding its index and cutting off a torn tail. */
  static open(dir: string, baseOffset: number, io: SegmentIo): Segment {
    const file = path.join(dir, segmentFileName(baseOffset));
    const segment = new Segment(file, baseOffset, openFile(io.fs, file), io);
    try {
      segment.#recover();
    } catch (err) {
      segment.close();
      throw err;
    }
    return segment;
  }

  get size(): number {
    return this.#size;
  }
  get nextOffset(): number {
    return this.#nextOffset;
  }
  get maxTimestamp(): number {
    return this.#maxTimestamp;
  }
  get recordCount(): number {
    return this.#recordCount;
  }

  /** Closes the file for writing: the segment will only be read from now on. */
  seal(): void {
    if (this.#fd === undefined) return;
    if (this.#dirtyTail) {
      try {
        this.#cutBack(this.#fd);
      } catch {
        // Left for recovery on the next open, which cuts a torn tail.
      }
    }
    const fd = this.#fd;
    this.#fd = undefined;
    this.#io.fs.closeSync(fd);
  }

  /**
   * Appends records whose offsets are already assigned, in one write (and one fdatasync when
   * `durable`). Either every record is in the file and counted, or the call throws a retriable
   * STREAMS_LOG_IO and the segment is as it was.
   */
  append(records: FrameInput[], durable: boolean): void {
    const fd = this.#fd;
    if (fd === undefined) throw new StreamsError('STREAMS_LOG_IO', `segment ${this.file} is sealed`);
    if (this.#dirtyTail) this.#cutBack(fd);
    const sizes = records.map(frameSize);
    const buffer = Buffer.allocUnsafe(sizes.reduce((a, b) => a + b, 0));
    let pos = 0;
    for (const record of records) pos = encodeFrame(record, buffer, pos);
    try {
      writeFully(this.#io.fs, fd, buffer);
      if (durable) this.#io.fs.fdatasyncSync(fd);
    } catch (cause) {
      this.#dirtyTail = true;
      try {
        this.#cutBack(fd);
      } catch {
        // Still dirty: the next append tries the cut again before writing anything.
      }
      throw new StreamsError('STREAMS_LOG_IO', `cannot append to ${this.file}: ${describe(cause)}`, { cause, retriable: true });
    }
    // Only now, with the bytes in the file: the index, the next offset and the size move.
    pos = this.#size;
    for (let i = 0; i < records.length; i++) {
      this.#track(records[i]!.offset, records[i]!.timestamp, pos, sizes[i]!);
      pos += sizes[i]!;
    }
    this.#size = pos;
  }

  /** Cuts the file back to the last good length, after a failed append. */
  #cutBack(fd: number): void {
    try {
      this.#io.fs.ftruncateSync(fd, this.#size);
    } catch (cause) {
      throw new StreamsError('STREAMS_LOG_IO', `cannot cut ${this.file} back to ${this.#size} bytes after a failed append: ${describe(cause)}`, { cause, retriable: true });
    }
    this.#dirtyTail = false;
  }

  /** Calls `visit` for records with offset >= `fromOffset`, in order, until it returns false. */
  scan(fromOffset: number, visit: (frame: DecodedFrame) => boolean): void {
    if (this.#size === 0) return;
    const fd = this.#fd ?? openFile(this.#io.fs, this.file, 'r');
    try {
      this.#scanWith(fd, fromOffset, visit);
    } finally {
      if (fd !== this.#fd) this.#io.fs.closeSync(fd);
    }
  }

  #scanWith(fd: number, fromOffset: number, visit: (frame: DecodedFrame) => boolean): void {
    let pos = this.#positionFor(fromOffset);
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = pos;
    while (pos < this.#size) {
      const skipTo = this.#skips.get(pos);
      if (skipTo !== undefined) {
        pos = skipTo;
        continue;
      }
      let frame = decodeFrame(chunk, pos - chunkStart);
      if (frame === undefined) {
        chunk = chunkAt(this.#io.fs, fd, pos, this.#size);
        chunkStart = pos;
        frame = decodeFrame(chunk, 0);
        if (frame === undefined) {
          throw new StreamsError('STREAMS_LOG_CORRUPT', `corrupt record at byte ${pos} of ${this.file}`);
        }
      }
      pos += frame.size;
      if (frame.offset >= fromOffset && !visit(frame)) return;
    }
  }

  /** Flushes the file to the disk (not only to the OS). */
  sync(): void {
    if (this.#fd !== undefined) this.#io.fs.fdatasyncSync(this.#fd);
  }

  close(): void {
    this.seal();
  }

  /** Closes and deletes the file. */
  remove(): void {
    this.close();
    rmSync(this.file, { force: true });
  }

  #track(offset: number, timestamp: number, position: number, size: number): void {
    if (this.#bytesSinceIndex >= INDEX_INTERVAL_BYTES) {
      this.#indexOffsets.push(offset);
      this.#indexPositions.push(position);
      this.#bytesSinceIndex = 0;
    }
    this.#bytesSinceIndex += size;
    this.#nextOffset = offset + 1;
    if (timestamp > this.#maxTimestamp) this.#maxTimestamp = timestamp;
    this.#recordCount++;
  }

  /** File position of the last indexed record with offset <= `offset`. */
  #positionFor(offset: number): number {
    const offsets = this.#indexOffsets;
    let lo = 0;
    let hi = offsets.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (offsets[mid]! <= offset) {
        found = this.#indexPositions[mid]!;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * Rebuilds the index from the file. Bytes that are no valid frame are either the torn tail of
   * a write cut short (nothing valid after them: cut off) or damage in the middle (complete
   * records after them: kept, the damage stepped over and reported through `onCorruption`).
   * Nothing with a valid checksum is ever dropped.
   */
  #recover(): void {
    const fd = this.#fd!;
    const fileSize = this.#io.fs.fstatSync(fd).size;
    this.#size = fileSize;
    let pos = 0;
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = 0;
    while (pos < fileSize) {
      let frame = decodeFrame(chunk, pos - chunkStart);
      if (frame === undefined) {
        chunk = chunkAt(this.#io.fs, fd, pos, fileSize);
        chunkStart = pos;
        frame = decodeFrame(chunk, 0);
      }
      if (frame === undefined) {
        const next = findNextFrame(this.#io.fs, fd, pos + 1, fileSize, this.#nextOffset);
        if (next === undefined) break;
        this.#skips.set(pos, next.position);
        this.#io.onCorruption({ file: this.file, position: pos, length: next.position - pos, resumedAtOffset: next.frame.offset });
        pos = next.position;
        frame = next.frame;
      }
      this.#track(frame.offset, frame.timestamp, pos, frame.size);
      pos += frame.size;
    }
    if (pos < fileSize) this.#io.fs.ftruncateSync(fd, pos);
    this.#size = pos;
  }
}

/**
 * The next valid frame at or after `from` whose offset is at least `minOffset` (offsets only
 * grow in a segment, which rules out a frame-like byte pattern inside a record's value).
 */
function findNextFrame(io: SegmentFs, fd: number, from: number, limit: number, minOffset: number): { position: number; frame: DecodedFrame } | undefined {
  let chunk: Buffer = Buffer.alloc(0);
  let chunkStart = from;
  for (let pos = from; pos + FRAME_MIN_SIZE <= limit; pos++) {
    if (pos + FRAME_MIN_SIZE > chunkStart + chunk.length) {
      chunk = readAt(io, fd, pos, READ_CHUNK_BYTES, limit);
      chunkStart = pos;
    }
    const at = pos - chunkStart;
    const frameLength = chunk.readUInt32LE(at) + 4;
    if (frameLength < FRAME_MIN_SIZE || pos + frameLength > limit) continue;
    const offset = chunk.readDoubleLE(at + FRAME_PREFIX);
    if (!Number.isSafeInteger(offset) || offset < minOffset) continue;
    const frame = at + frameLength <= chunk.length ? decodeFrame(chunk, at) : decodeFrame(readAt(io, fd, pos, frameLength, limit), 0);
    if (frame !== undefined) return { position: pos, frame };
  }
  return undefined;
}

/** Reads a chunk starting at a frame boundary, large enough for at least that whole frame. */
function chunkAt(io: SegmentFs, fd: number, position: number, limit: number): Buffer {
  const chunk = readAt(io, fd, position, READ_CHUNK_BYTES, limit);
  if (chunk.length < 4) return chunk;
  const needed = chunk.readUInt32LE(0) + 4;
  return needed > chunk.length ? readAt(io, fd, position, needed, limit) : chunk;
}

function readAt(io: SegmentFs, fd: number, position: number, length: number, limit: number): Buffer {
  const size = Math.max(0, Math.min(length, limit - position));
  const buffer = Buffer.allocUnsafe(size);
  let read = 0;
  while (read < size) {
    const n = io.readSync(fd, buffer, read, size - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

/** 'a+' (the default): appends always go to the end, positional reads still work. */
function openFile(io: SegmentFs, file: string, flags = 'a+'): number {
  try {
    return io.openSync(file, flags);
  } catch (cause) {
    throw new StreamsError('STREAMS_LOG_IO', `cannot open segment ${file}: ${describe(cause)}`, { cause, retriable: true });
  }
}

function writeFully(io: SegmentFs, fd: number, buffer: Buffer): void {
  let written = 0;
  while (written < buffer.length) written += io.writeSync(fd, buffer, written, buffer.length - written);
}

/** The system error code (ENOSPC, EIO…) or message of a cause, for error messages. */
function describe(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
}
