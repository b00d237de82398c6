/** @internal Rejects a duration that is not a whole, non-negative number of ms (RangeError), or not positive when `positive`. */
export function assertDuration(value: unknown, what: string, positive = false): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${what} must be a number of ms`);
  if (!Number.isSafeInteger(value) || value < (positive ? 1 : 0)) {
    throw new RangeError(`${what} must be a ${positive ? 'positive' : 'non-negative'} integer number of ms, got ${value}`);
  }
}
