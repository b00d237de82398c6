import type { KeyRange } from './key-range.js';
import type { OverlayEntry } from './merge-overlay.js';
import { mergeOverlays } from './merge-overlay.js';
import { HashedBufferMap } from './hashed-buffer-map.js';

/** Writes one batch of changes (null = delete) to the backend, in one I/O. */
export type BatchWriter = (changes: OverlayEntry[]) => Promise<void>;

/**
 * Buffers synchronous writes in front of an asynchronous backend. Changes collect in a pending
 * map; `flush()` hands them to the backend in one batch. When the pending map reaches
 * `maxPending` keys, a flush starts in the background so memory stays bounded even if nobody
 * calls `flush()`; while a batch is in flight its changes stay readable here (`lookup`,
 * `overlay`), because the backend may not have them yet. At most one batch is in flight, so
 * batches reach the backend in write order.
 *
 * A failed batch is put back under the newer pending writes and retried by the next flush;
 * background flushing pauses until an explicit `flush()` succeeds, and that flush reports the
 * failure if it persists.
 */
export class WriteBuffer {
  readonly maxPending: number;
  readonly #write: BatchWriter;
  #pending = new HashedBufferMap<Buffer | null>();
  #flushing: HashedBufferMap<Buffer | null> | undefined;
  #inFlight: Promise<void> | undefined;
  #paused = false;

  constructor(write: BatchWriter, maxPending: number) {
    this.#write = write;
    this.maxPending = maxPending;
  }

  /** Number of buffered keys: not yet handed to the backend, and in the batch in flight. */
  get counts(): { pending: number; flushing: number } {
    return { pending: this.#pending.size, flushing: this.#flushing?.size ?? 0 };
  }

  /** The buffered value of `key`: a Buffer, null for a buffered delete, undefined when not buffered. */
  lookup(key: Buffer): Buffer | null | undefined {
    const pending = this.#pending.get(key);
    if (pending !== undefined || this.#flushing === undefined) return pending;
    return this.#flushing.get(key);
  }

  set(key: Buffer, value: Buffer | null): void {
    this.#pending.set(key, value);
    this.#flushInBackgroundIfFull();
  }

  /**
   * The buffered changes inside `range`, in scan order, as of now: later writes do not show up
   * (the pending map is cloned in O(1); a batch in flight is never modified).
   */
  overlay(range: KeyRange): Iterable<OverlayEntry> {
    const pending = this.#pending.clone().entries(range);
    if (this.#flushing === undefined) return pending;
    return mergeOverlays(pending, this.#flushing.entries(range), range.reverse);
  }

  /** Resolves when every change buffered before the call has been written to the backend. */
  async flush(): Promise<void> {
    // A failed batch is merged back into pending, so its error can be ignored here: the
    // batch below retries it.
    if (this.#inFlight !== undefined) await this.#inFlight.catch(() => undefined);
    // A background flush started meanwhile holds everything that was pending: wait for it.
    if (this.#inFlight !== undefined) await this.#inFlight;
    else if (this.#pending.size > 0) await this.#startBatch();
    this.#paused = false;
  }

  /** Drops every buffered change (used when the backend is gone). */
  clear(): void {
    this.#pending = new HashedBufferMap<Buffer | null>();
  }

  #flushInBackgroundIfFull(): void {
    if (this.#pending.size < this.maxPending || this.#inFlight !== undefined || this.#paused) return;
    this.#startBatch().then(
      () => this.#flushInBackgroundIfFull(),
      () => {
        this.#paused = true;
      },
    );
  }

  #startBatch(): Promise<void> {
    const batch = this.#pending;
    this.#pending = new HashedBufferMap<Buffer | null>();
    this.#flushing = batch;
    const changes: OverlayEntry[] = batch.unorderedEntries();
    const inFlight = this.#write(changes).then(
      () => this.#settle(),
      (err: unknown) => {
        // Newer writes win over the failed batch's.
        for (const [key, value] of changes) this.#pending.setIfNotPresent(key, value);
        this.#settle();
        throw err;
      },
    );
    this.#inFlight = inFlight;
    return inFlight;
  }

  #settle(): void {
    this.#flushing = undefined;
    this.#inFlight = undefined;
  }
}
