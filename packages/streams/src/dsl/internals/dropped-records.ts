import type { StreamRecord } from '../../processor/record.js';
import type { DroppedRecordHandler, DroppedRecordReason } from '../grouped.js';
import type { Window } from '../windowed.js';

/** @internal Reports a skipped record to the operator's `onDropped` handler, if it has one. */
export function reportDropped(
  handler: DroppedRecordHandler | undefined,
  processor: string,
  reason: DroppedRecordReason,
  record: StreamRecord<unknown, unknown>,
  window?: Window,
): void {
  if (handler === undefined) return;
  handler({ reason, processor, key: record.key, value: record.value, timestamp: record.timestamp, ...(window === undefined ? {} : { window }) });
}

/** @internal True for the `null` (or `undefined`) that stands for "no key" / "no value". */
export function isNil(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

/**
 * @internal Reports a record whose key or value is nil as dropped (`null-key` first), for the
 * aggregations that cannot group or fold it. True when the record was dropped.
 */
export function reportIfNil(handler: DroppedRecordHandler | undefined, processor: string, record: StreamRecord<unknown, unknown>): boolean {
  if (!isNil(record.key) && !isNil(record.value)) return false;
  reportDropped(handler, processor, isNil(record.key) ? 'null-key' : 'null-value', record);
  return true;
}
