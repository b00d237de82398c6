/**
 * A page of a list, in the API's shape: `{ data, pagination_data: { previous_cursor,
 * next_cursor, total } }`. `total` counts the whole filtered list, not the page; cursors are
 * opaque (see cursor.ts) and null where there is no previous or next page.
 */
export interface CommunicationPage<T> {
  data: T[];
  pagination_data: {
    previous_cursor: string | null;
    next_cursor: string | null;
    total: number;
  };
}

/** Page size when a query names none. */
export const DEFAULT_PAGE_SIZE = 20;

/** Checks a page size: a positive integer (no upper cap here: the HTTP layer bounds requests). */
export function pageSizeOf(pageSize: number | undefined): number {
  const size = pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`pageSize must be a positive integer, got ${String(pageSize)}`);
  return size;
}
