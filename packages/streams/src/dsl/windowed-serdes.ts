import { AbstractSerde } from '../serde/abstract-serde.js';
import { serdeError } from '../serde/serde-error.js';
import type { Serde } from '../serde/types.js';
import { readStart, writeStart } from '../state/internals/window-key.js';
import type { Windowed } from './windowed.js';

const TIME_BYTES = 8;

/**
 * `[ key bytes ][ window start: 8 bytes, big-endian ms ]`, Kafka's `TimeWindowedSerializer`
 * layout. The end is not written: the deserializer adds the window size (ms) to the start,
 * so it must be given the size the windows were made with.
 */
class TimeWindowedSerde<TKey> extends AbstractSerde<Windowed<TKey>> {
  readonly #inner: Serde<TKey>;
  readonly #sizeMs: number;

  constructor(inner: Serde<TKey>, sizeMs: number) {
    super(`time-windowed(${inner.fingerprint ?? 'unknown'},${sizeMs})`);
    this.#inner = inner;
    this.#sizeMs = sizeMs;
  }

  protected _serialize(value: Windowed<TKey>, topic: string | undefined): Buffer {
    const key = this.#inner.serialize(value.key, topic);
    const out = Buffer.allocUnsafe(key.length + TIME_BYTES);
    key.copy(out, 0);
    writeStart(out, key.length, value.window.start);
    return out;
  }

  protected _deserialize(bytes: Buffer, topic: string | undefined): Windowed<TKey> {
    if (bytes.length < TIME_BYTES) throw serdeError('STREAMS_SERDE_DECODE', 'A time-windowed key has at least 8 bytes', topic);
    const at = bytes.length - TIME_BYTES;
    const start = readStart(bytes, at);
    const end = Math.min(Number.MAX_SAFE_INTEGER, start + this.#sizeMs);
    return { key: this.#inner.deserialize(bytes.subarray(0, at), topic), window: { start, end } };
  }
}

/**
 * `[ key bytes ][ end: 8 bytes ][ start: 8 bytes ]` (big-endian ms), Kafka's session key
 * layout (`SessionKeySchema`), so session results stay readable by Kafka's
 * `SessionWindowedDeserializer`.
 */
class SessionWindowedSerde<TKey> extends AbstractSerde<Windowed<TKey>> {
  readonly #inner: Serde<TKey>;

  constructor(inner: Serde<TKey>) {
    super(`session-windowed(${inner.fingerprint ?? 'unknown'})`);
    this.#inner = inner;
  }

  protected _serialize(value: Windowed<TKey>, topic: string | undefined): Buffer {
    const key = this.#inner.serialize(value.key, topic);
    const out = Buffer.allocUnsafe(key.length + 2 * TIME_BYTES);
    key.copy(out, 0);
    writeStart(out, key.length, value.window.end);
    writeStart(out, key.length + TIME_BYTES, value.window.start);
    return out;
  }

  protected _deserialize(bytes: Buffer, topic: string | undefined): Windowed<TKey> {
    if (bytes.length < 2 * TIME_BYTES) throw serdeError('STREAMS_SERDE_DECODE', 'A session-windowed key has at least 16 bytes', topic);
    const at = bytes.length - 2 * TIME_BYTES;
    const window = { start: readStart(bytes, at + TIME_BYTES), end: readStart(bytes, at) };
    return { key: this.#inner.deserialize(bytes.subarray(0, at), topic), window };
  }
}

/** Serdes for `Windowed<K>` keys, what windowed aggregations write (Kafka's `WindowedSerdes`). */
export const WindowedSerdes = {
  /**
   * Keys of time (tumbling, hopping) and sliding window results. `windowSizeMs` restores the
   * end on reading: the size of TimeWindows, or the time difference of SlidingWindows.
   */
  timeWindowed<TKey>(keySerde: Serde<TKey>, windowSizeMs: number): Serde<Windowed<TKey>> {
    if (!Number.isSafeInteger(windowSizeMs) || windowSizeMs < 0) throw new RangeError('windowSizeMs must be a non-negative integer (ms)');
    return new TimeWindowedSerde(keySerde, windowSizeMs);
  },
  /** Keys of session window results (start and end are both written). */
  sessionWindowed<TKey>(keySerde: Serde<TKey>): Serde<Windowed<TKey>> {
    return new SessionWindowedSerde(keySerde);
  },
} as const;
