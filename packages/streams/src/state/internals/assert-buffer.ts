/** Misuse check shared by the store base classes: throws a TypeError (no code) unless `value` is a Buffer. */
export function assertBuffer(value: unknown, what: string): asserts value is Buffer {
  if (!Buffer.isBuffer(value)) throw new TypeError(`A ${what} must be a Buffer`);
}
