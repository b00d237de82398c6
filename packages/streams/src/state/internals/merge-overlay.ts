import type { KeyValue } from '../types.js';

/** A change written on top of a base store: a value, or null for a delete. */
export type OverlayEntry = [key: Buffer, value: Buffer | null];

/**
 * Merges two overlays that are sorted in the same direction; on equal keys `newer` wins.
 * Used to read a write buffer over the writes of an earlier buffer that is still being flushed.
 */
export function* mergeOverlays(
  newer: Iterable<OverlayEntry>,
  older: Iterable<OverlayEntry>,
  reverse: boolean,
): Generator<OverlayEntry> {
  const dir = reverse ? -1 : 1;
  const a = newer[Symbol.iterator]();
  const b = older[Symbol.iterator]();
  let x = a.next();
  let y = b.next();
  while (!x.done || !y.done) {
    if (y.done) {
      yield x.value as OverlayEntry;
      x = a.next();
    } else if (x.done) {
      yield y.value;
      y = b.next();
    } else {
      const order = dir * Buffer.compare(x.value[0], y.value[0]);
      if (order <= 0) {
        yield x.value;
        if (order === 0) y = b.next();
        x = a.next();
      } else {
        yield y.value;
        y = b.next();
      }
    }
  }
}

/**
 * Reads `overlay` on top of `base`, both sorted in the same direction: an overlay value replaces
 * the base value of the same key, an overlay null hides it. This is how buffered writes (and
 * deletes) show up in scans before they reach the backend.
 */
export async function* applyOverlay(
  overlay: Iterable<OverlayEntry>,
  base: AsyncIterable<KeyValue>,
  reverse: boolean,
): AsyncGenerator<KeyValue> {
  const dir = reverse ? -1 : 1;
  const changes = overlay[Symbol.iterator]();
  let change = changes.next();
  for await (const entry of base) {
    let order = 0;
    while (!change.done && (order = dir * Buffer.compare(change.value[0], entry.key)) < 0) {
      const [key, value] = change.value;
      if (value !== null) yield { key, value };
      change = changes.next();
    }
    if (!change.done && order === 0) {
      const [key, value] = change.value;
      if (value !== null) yield { key, value };
      change = changes.next();
      continue;
    }
    yield entry;
  }
  for (; !change.done; change = changes.next()) {
    const [key, value] = change.value;
    if (value !== null) yield { key, value };
  }
}
