import { AbstractStateStore } from './abstract-state-store.js';
import { assertBuffer } from './internals/assert-buffer.js';
import { guardScan } from './internals/guard-scan.js';
import type { WindowedKeyValue, WindowStore } from './types.js';

/**
 * Base class of every window store: validates arguments (keys and values must be Buffers,
 * TypeError; window starts must be integers in [0, 2^53 - 1] ms, RangeError; time bounds must
 * be numbers, TypeError), checks that the store is open (else `STREAMS_STORE_NOT_OPEN`), and
 * calls the protected hooks. Hooks receive time bounds already clamped to valid window starts,
 * with `timeFrom <= timeTo`.
 */
export abstract class AbstractWindowStore extends AbstractStateStore implements WindowStore {
  readonly retentionMs: number;

  /** @param retentionMs how long windows are kept, in ms behind the highest window start seen; an integer >= 0 or Infinity. */
  constructor(name: string, retentionMs: number) {
    super(name);
    if (typeof retentionMs !== 'number' || !(Number.isInteger(retentionMs) || retentionMs === Infinity) || retentionMs < 0) {
      throw new RangeError('retentionMs must be a non-negative integer (ms) or Infinity');
    }
    this.retentionMs = retentionMs;
  }

  /** Writes the value of one window; a null value deletes the window. */
  put(key: Buffer, value: Buffer | null, windowStart: number): void {
    assertBuffer(key, 'key');
    if (value !== null) assertBuffer(value, 'value');
    assertWindowStart(windowStart);
    this.assertOpen();
    this._put(key, value, windowStart);
  }

  fetch(key: Buffer, windowStart: number): Buffer | undefined {
    assertBuffer(key, 'key');
    assertWindowStart(windowStart);
    this.assertOpen();
    return this._fetch(key, windowStart);
  }

  fetchRange(key: Buffer, timeFrom: number, timeTo: number): WindowedKeyValue[] {
    assertBuffer(key, 'key');
    const bounds = clampTimes(timeFrom, timeTo);
    this.assertOpen();
    return bounds === undefined ? [] : this._fetchRange(key, bounds[0], bounds[1]);
  }

  /** Windows of every key with start in [timeFrom, timeTo], ordered by start, then key bytes. */
  fetchAll(timeFrom: number, timeTo: number): AsyncIterable<WindowedKeyValue> {
    const bounds = clampTimes(timeFrom, timeTo);
    this.assertOpen();
    if (bounds === undefined) return guardScan(this, emptyScan);
    return guardScan(this, () => this._fetchAll(bounds[0], bounds[1]));
  }

  /** Every live window, ordered by start, then key bytes. */
  all(): AsyncIterable<WindowedKeyValue> {
    this.assertOpen();
    return guardScan(this, () => this._fetchAll(0, Number.MAX_SAFE_INTEGER));
  }

  protected abstract _put(key: Buffer, value: Buffer | null, windowStart: number): void;
  protected abstract _fetch(key: Buffer, windowStart: number): Buffer | undefined;
  protected abstract _fetchRange(key: Buffer, timeFrom: number, timeTo: number): WindowedKeyValue[];
  protected abstract _fetchAll(timeFrom: number, timeTo: number): AsyncIterable<WindowedKeyValue>;
}

function assertWindowStart(windowStart: number): void {
  if (typeof windowStart !== 'number') throw new TypeError('A window start must be a number (ms)');
  if (!Number.isSafeInteger(windowStart) || windowStart < 0) {
    throw new RangeError('A window start must be an integer in [0, 2^53 - 1] (ms)');
  }
}

/** Clamps [from, to] to whole window starts; undefined when no window start lies inside. */
function clampTimes(timeFrom: number, timeTo: number): [number, number] | undefined {
  if (typeof timeFrom !== 'number' || typeof timeTo !== 'number' || Number.isNaN(timeFrom) || Number.isNaN(timeTo)) {
    throw new TypeError('Time bounds must be numbers (ms)');
  }
  const from = Math.max(0, Math.ceil(timeFrom));
  const to = Math.min(Number.MAX_SAFE_INTEGER, Math.floor(timeTo));
  return from > to ? undefined : [from, to];
}

async function* emptyScan(): AsyncGenerator<WindowedKeyValue> {}
