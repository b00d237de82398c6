const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * True for a UUID in canonical form: 8-4-4-4-12 lowercase hex digits. Parley ids are always in
 * this form, so one entity has one spelling (an upper-case copy would derive different ids).
 */
export function isCanonicalUuid(value: unknown): value is string {
  return typeof value === 'string' && CANONICAL_UUID.test(value);
}
