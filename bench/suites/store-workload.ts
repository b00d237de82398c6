import { seededRandom } from '../lib/measure.js';

/** The key-value workload shared by the store benchmarks and their classic-level ceilings. */
export const KEY_COUNT = 200_000;

export function benchKey(i: number): Buffer {
  return Buffer.from(`key-${String(i).padStart(12, '0')}`);
}

const VALUE = Buffer.alloc(100, 0x62);
export function benchValue(_i: number): Buffer {
  return VALUE;
}

/** `count` keys drawn uniformly at random (same sequence every run). */
export function randomKeys(count: number): Buffer[] {
  const random = seededRandom(42);
  return Array.from({ length: count }, () => benchKey(Math.floor(random() * KEY_COUNT)));
}
