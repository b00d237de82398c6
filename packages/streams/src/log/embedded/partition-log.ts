import * as fs from 'node:fs';
import * as path from 'node:path';
import { StreamsError } from '../../errors.js';
import type { LogRecord, ProducerRecord, TopicConfig } from '../types.js';
import { Segment, type SegmentIo } from './segment.js';
import { syncDirectory } from './segment-fs.js';
import type { DecodedFrame } from './record-codec.js';

export interface PartitionLogOptions {
  dir: string;
  topic: string;
  partition: number;
  /** A segment rolls when it grows past this many bytes. */
  segmentBytes: number;
  /** fdatasync after every append (survives power loss, not only a process crash). */
  fsync: boolean;
  /** The file-system calls of the segments, and where damage found on open is reported. */
  io: SegmentIo;
}

const CLEANED_SUFFIX = '.cleaned';
/** How long one step of a stepwise compaction may hold the event loop, ms. */
const COMPACTION_SLICE_MS = 10;
/** Frames visited between two looks at the clock during a stepwise scan. */
const FRAMES_PER_CLOCK_CHECK = 256;

/**
 * One partition of a topic: an ordered list of segment files, the last one active.
 * Offsets are assigned here; compaction and retention rewrite or drop closed segments.
 */
export class PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly #dir: string;
  readonly #options: PartitionLogOptions;
  #segments: Segment[] = [];
  #closed = false;
  /** Counts segment rewrites: a stepwise pass that sees another pass rewrite segments under it stops. */
  #rewrites = 0;
  /**
   * What the last compaction saw: the end offset and the tombstones it kept. A pass over a
   * partition that has had no append since, and kept no tombstone that may have expired since,
   * would change nothing, so it is skipped (an idle platform rescanned every changelog each pass).
   */
  #lastCompaction: { endOffset: number; segments: number; keptTombstones: number } | undefined;

  constructor(options: PartitionLogOptions) {
    this.#options = options;
    this.#dir = options.dir;
    this.topic = options.topic;
    this.partition = options.partition;
    fs.mkdirSync(this.#dir, { recursive: true });
    const bases: number[] = [];
    for (const name of fs.readdirSync(this.#dir)) {
      // A cleaned segment that was not renamed into place belongs to an interrupted compaction.
      if (name.endsWith(CLEANED_SUFFIX)) fs.rmSync(path.join(this.#dir, name), { recursive: true, force: true });
      else if (name.endsWith('.log')) bases.push(Number(name.slice(0, -4)));
    }
    bases.sort((a, b) => a - b);
    const created = bases.length === 0;
    if (created) bases.push(0);
    this.#segments = bases.map((base) => Segment.open(this.#dir, base, options.io));
    if (created && options.fsync) syncDirectory(this.#dir);
    for (const segment of this.#segments.slice(0, -1)) segment.seal();
  }

  /** True once close() ran (its topic was deleted or the log closed). */
  get closed(): boolean {
    return this.#closed;
  }

  get beginningOffset(): number {
    return this.#segments[0]!.baseOffset;
  }

  get endOffset(): number {
    return this.#active.nextOffset;
  }

  get #active(): Segment {
    return this.#segments[this.#segments.length - 1]!;
  }

  /** Appends in one write; returns the first offset. Offsets move only when the write succeeded. */
  append(records: ProducerRecord[], now: number): number {
    if (this.#active.size >= this.#options.segmentBytes) this.roll();
    const first = this.endOffset;
    const frames = records.map((r, i) => ({
      offset: first + i,
      timestamp: r.timestamp ?? now,
      key: r.key,
      value: r.value,
      headers: r.headers,
    }));
    this.#active.append(frames, this.#options.fsync);
    return first;
  }

  read(offset: number, maxRecords: number): LogRecord[] {
    const out: LogRecord[] = [];
    for (let i = this.#segmentIndexFor(offset); i < this.#segments.length && out.length < maxRecords; i++) {
      this.#segments[i]!.scan(offset, (frame) => {
        out.push(this.#toRecord(frame));
        return out.length < maxRecords;
      });
    }
    return out;
  }

  offsetForTimestamp(timestamp: number): number {
    for (const segment of this.#segments) {
      if (segment.maxTimestamp < timestamp) continue;
      let found: number | undefined;
      segment.scan(segment.baseOffset, (frame) => {
        if (frame.timestamp >= timestamp) found = frame.offset;
        return found === undefined;
      });
      if (found !== undefined) return found;
    }
    return this.endOffset;
  }

  /** Closes the active segment and starts a new, empty one. */
  roll(): void {
    if (this.#active.recordCount === 0) return;
    const next = Segment.open(this.#dir, this.endOffset, this.#options.io);
    // With fsync on, the new file's name is made durable before any record acknowledged in it.
    if (this.#options.fsync) {
      try {
        syncDirectory(this.#dir);
      } catch (cause) {
        next.remove();
        throw new StreamsError('STREAMS_LOG_IO', `cannot sync ${this.#dir} after a new segment: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause, retriable: true });
      }
    }
    this.#active.seal();
    this.#segments.push(next);
  }

  /**
   * Rewrites every closed segment keeping only the latest record per key (Kafka's log cleaner).
   * A tombstone is kept while younger than `deleteRetentionMs` so consumers can see the delete.
   * The active segment counts as newer data but is not rewritten.
   */
  compact(config: Required<TopicConfig>, now: number): void {
    for (const _ of this.compactionSteps(config, now, Infinity)) {
      // Run to the end in one go: the explicit maintain() of tests and tools.
    }
  }

  /**
   * The same compaction in steps of about `sliceMs` each (the log's maintenance timer gives the
   * event loop back between them, so a large changelog no longer stalls every request for
   * seconds). Appends and reads may run between steps: records appended meanwhile are simply
   * not considered (they can only make older records obsolete, and those are left for the next
   * pass), and a segment is swapped for its cleaned copy within one step, by identity, only if
   * it is still in place. A closed partition ends the steps.
   */
  *compactionSteps(config: Required<TopicConfig>, now: number, sliceMs = COMPACTION_SLICE_MS): Generator<void, void, void> {
    const segments = [...this.#segments];
    const closed = segments.slice(0, -1);
    if (closed.length === 0) return;
    const last = this.#lastCompaction;
    if (last !== undefined && last.endOffset === this.endOffset && last.segments === segments.length && last.keptTombstones === 0) return;
    const seen = { endOffset: this.endOffset, segments: segments.length };
    let rewrites = this.#rewrites;
    // Another pass (an explicit maintain()) rewrote segments meanwhile: their files changed under this one.
    const stale = () => this.#rewrites !== rewrites;
    const latest = new Map<string, number>();
    for (const segment of segments) {
      yield* this.#scanSteps(segment, sliceMs, stale, (frame) => {
        if (frame.key !== null) latest.set(frame.key.toString('latin1'), frame.offset);
      });
    }
    const tombstoneHorizon = now - config.deleteRetentionMs;
    let keptTombstones = 0;
    for (const segment of closed) {
      const kept: DecodedFrame[] = [];
      yield* this.#scanSteps(segment, sliceMs, stale, (frame) => {
        if (frame.key === null || latest.get(frame.key.toString('latin1')) !== frame.offset) return;
        if (frame.value === null) {
          if (frame.timestamp <= tombstoneHorizon) return;
          keptTombstones++;
        }
        kept.push(frame);
      });
      if (this.#closed || stale()) return;
      const at = this.#segments.indexOf(segment);
      if (at >= 0 && kept.length !== segment.recordCount) {
        this.#segments[at] = this.#rewrite(segment, kept);
        rewrites = ++this.#rewrites;
      }
    }
    this.#lastCompaction = { ...seen, keptTombstones };
  }

  /** Visits every frame of `segment`, yielding whenever `sliceMs` have passed; stops early once the partition is closed. */
  *#scanSteps(segment: Segment, sliceMs: number, stale: () => boolean, visit: (frame: DecodedFrame) => void): Generator<void, void, void> {
    let next = segment.baseOffset;
    for (;;) {
      if (this.#closed || stale()) return;
      const deadline = performance.now() + sliceMs;
      let visited = 0;
      let sliceEnded = false;
      segment.scan(next, (frame) => {
        visit(frame);
        next = frame.offset + 1;
        // sliceMs 0: one frame per step (tests interleave appends with every step).
        if (sliceMs <= 0 || (++visited % FRAMES_PER_CLOCK_CHECK === 0 && performance.now() >= deadline)) sliceEnded = true;
        return !sliceEnded;
      });
      if (!sliceEnded) return;
      yield;
    }
  }

  /** Drops closed segments whose newest record is older than `retentionMs`. */
  enforceRetention(retentionMs: number, now: number): void {
    if (retentionMs < 0) return;
    while (this.#segments.length > 1 && this.#segments[0]!.maxTimestamp < now - retentionMs) {
      this.#segments.shift()!.remove();
    }
  }

  sync(): void {
    this.#active.sync();
  }

  close(): void {
    this.#closed = true;
    for (const segment of this.#segments) segment.close();
  }

  /** Replaces `segment` by a copy holding only `kept` (its own frames, in order). */
  #rewrite(segment: Segment, kept: DecodedFrame[]): Segment {
    const cleanedDir = path.join(this.#dir, `${segment.baseOffset}${CLEANED_SUFFIX}`);
    fs.rmSync(cleanedDir, { recursive: true, force: true });
    fs.mkdirSync(cleanedDir);
    const cleaned = Segment.open(cleanedDir, segment.baseOffset, this.#options.io);
    if (kept.length > 0) cleaned.append(kept, true);
    cleaned.close();
    segment.close();
    // rename is atomic: a crash leaves either the old or the cleaned segment in place.
    fs.renameSync(cleaned.file, segment.file);
    fs.rmSync(cleanedDir, { recursive: true, force: true });
    const replaced = Segment.open(this.#dir, segment.baseOffset, this.#options.io);
    replaced.seal();
    return replaced;
  }

  #segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.#segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#segments[mid]!.baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  #toRecord(frame: DecodedFrame): LogRecord {
    return {
      topic: this.topic,
      partition: this.partition,
      offset: frame.offset,
      key: frame.key,
      value: frame.value,
      headers: frame.headers,
      timestamp: frame.timestamp,
    };
  }
}
