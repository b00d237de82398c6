import * as fs from 'node:fs';
import * as path from 'node:path';
import { StreamsError } from '../../errors.js';
import { decodeFrame, encodeFrame, frameSize, type DecodedFrame, type FrameInput } from './record-codec.js';

/** Bytes between two entries of the sparse offset index (Kafka's index.interval.bytes). */
const INDEX_INTERVAL_BYTES = 4096;
/** Bytes read from disk at a time when scanning a segment. */
const READ_CHUNK_BYTES = 1 << 20;

export function segmentFileName(baseOffset: number): string {
  return `${String(baseOffset).padStart(20, '0')}.log`;
}

/**
 * One segment file of a partition: records with offsets from `baseOffset` up to (not including)
 * the next segment's base. All I/O is synchronous: the embedded log runs in one thread and a
 * synchronous write that returned is in the OS page cache, which survives a crash of the process.
 * Only the active segment keeps its file open; a sealed one opens it for the length of a scan,
 * so a long log does not hold a file descriptor per segment.
 */
export class Segment {
  readonly baseOffset: number;
  readonly file: string;
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

  private constructor(file: string, baseOffset: number, fd: number) {
    this.file = file;
    this.baseOffset = baseOffset;
    this.#nextOffset = baseOffset;
    this.#fd = fd;
  }

  /** Opens (creating if missing) the segment, rebuilding its index and cutting off a torn tail. */
  static open(dir: string, baseOffset: number): Segment {
    const file = path.join(dir, segmentFileName(baseOffset));
    const segment = new Segment(file, baseOffset, openFile(file));
    segment.#recover();
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
    fs.closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** Appends records whose offsets are already assigned, in one write. */
  append(records: FrameInput[], durable: boolean): void {
    const fd = this.#fd;
    if (fd === undefined) throw new StreamsError('STREAMS_LOG_IO', `segment ${this.file} is sealed`);
    const sizes = records.map(frameSize);
    const buffer = Buffer.allocUnsafe(sizes.reduce((a, b) => a + b, 0));
    let pos = 0;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      this.#track(record.offset, record.timestamp, this.#size + pos, sizes[i]!);
      pos = encodeFrame(record, buffer, pos);
    }
    writeFully(fd, buffer, this.file);
    if (durable) fs.fdatasyncSync(fd);
    this.#size += buffer.length;
  }

  /** Calls `visit` for records with offset >= `fromOffset`, in order, until it returns false. */
  scan(fromOffset: number, visit: (frame: DecodedFrame) => boolean): void {
    if (this.#size === 0) return;
    const fd = this.#fd ?? openFile(this.file, 'r');
    try {
      this.#scanWith(fd, fromOffset, visit);
    } finally {
      if (fd !== this.#fd) fs.closeSync(fd);
    }
  }

  #scanWith(fd: number, fromOffset: number, visit: (frame: DecodedFrame) => boolean): void {
    let pos = this.#positionFor(fromOffset);
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = pos;
    while (pos < this.#size) {
      let frame = decodeFrame(chunk, pos - chunkStart);
      if (frame === undefined) {
        chunk = chunkAt(fd, pos, this.#size);
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
    if (this.#fd !== undefined) fs.fdatasyncSync(this.#fd);
  }

  close(): void {
    this.seal();
  }

  /** Closes and deletes the file. */
  remove(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
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

  #recover(): void {
    const fd = this.#fd!;
    const fileSize = fs.fstatSync(fd).size;
    this.#size = fileSize;
    let pos = 0;
    let chunk: Buffer = Buffer.alloc(0);
    let chunkStart = 0;
    while (pos < fileSize) {
      let frame = decodeFrame(chunk, pos - chunkStart);
      if (frame === undefined) {
        chunk = chunkAt(fd, pos, fileSize);
        chunkStart = pos;
        frame = decodeFrame(chunk, 0);
        // A frame that cannot be read whole is the torn tail of a write cut short by a crash.
        if (frame === undefined) break;
      }
      this.#track(frame.offset, frame.timestamp, pos, frame.size);
      pos += frame.size;
    }
    if (pos < fileSize) fs.ftruncateSync(fd, pos);
    this.#size = pos;
  }
}

/** Reads a chunk starting at a frame boundary, large enough for at least that whole frame. */
function chunkAt(fd: number, position: number, limit: number): Buffer {
  const chunk = readAt(fd, position, READ_CHUNK_BYTES, limit);
  if (chunk.length < 4) return chunk;
  const needed = chunk.readUInt32LE(0) + 4;
  return needed > chunk.length ? readAt(fd, position, needed, limit) : chunk;
}

function readAt(fd: number, position: number, length: number, limit: number): Buffer {
  const size = Math.max(0, Math.min(length, limit - position));
  const buffer = Buffer.allocUnsafe(size);
  let read = 0;
  while (read < size) {
    const n = fs.readSync(fd, buffer, read, size - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

/** 'a+' (the default): appends always go to the end, positional reads still work. */
function openFile(file: string, flags = 'a+'): number {
  try {
    return fs.openSync(file, flags);
  } catch (cause) {
    throw new StreamsError('STREAMS_LOG_IO', `cannot open segment ${file}`, { cause });
  }
}

function writeFully(fd: number, buffer: Buffer, file: string): void {
  try {
    let written = 0;
    while (written < buffer.length) written += fs.writeSync(fd, buffer, written, buffer.length - written);
  } catch (cause) {
    throw new StreamsError('STREAMS_LOG_IO', `cannot write to ${file}`, { cause, retriable: true });
  }
}
