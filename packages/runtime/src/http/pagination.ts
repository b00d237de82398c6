import { z } from 'zod';
import { decodeOpaqueCursor, encodeOpaqueCursor } from '@parley/communication';

/**
 * Cursor pagination for list endpoints: request `{ cursor?, page_size? }`, response
 * `{ data, pagination_data: { previous_cursor, next_cursor, total } }`. Cursors are opaque to
 * clients (base64url of a versioned position), so the encoding can change without breaking them;
 * a cursor that does not decode is RUNTIME_INVALID_CURSOR (400), never a 500.
 */

/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 1000;
/** Page size when the request names none. */
export const DEFAULT_PAGE_SIZE = 20;

/** Request fields of every paginated endpoint; spread into the endpoint's request object schema. */
export const paginationRequestShape = {
  cursor: z.string().min(1).optional().describe('Opaque cursor from a previous page (`next_cursor` or `previous_cursor`); omitted for the first page'),
  page_size: z.int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).describe(`Items per page, 1 to ${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}`),
};

export const paginationDataSchema = z.strictObject({
  previous_cursor: z.string().nullable().describe('Cursor of the previous page; null on the first page'),
  next_cursor: z.string().nullable().describe('Cursor of the next page; null on the last page'),
  total: z.int().min(0).describe('Items in the whole (filtered) list'),
});

/** The response schema of a paginated endpoint whose items match `item`. */
export function paginatedSchema<TItem extends z.ZodType>(item: TItem) {
  return z.strictObject({ data: z.array(item), pagination_data: paginationDataSchema });
}

export interface PageRequest {
  cursor?: string | undefined;
  page_size: number;
}

export interface Page<T> {
  data: T[];
  pagination_data: z.output<typeof paginationDataSchema>;
}

const CURSOR = /^v1:(0|[1-9][0-9]{0,14})$/;

/** The opaque cursor of the page starting at `offset` (the API's one codec, `@parley/communication`). */
export function encodeCursor(offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`a cursor offset is a non-negative integer, got ${offset}`);
  return encodeOpaqueCursor(`v1:${offset}`);
}

/** The offset a cursor points at; RUNTIME_INVALID_CURSOR (field `cursor`) when it is not one of ours. */
export function decodeCursor(cursor: string): number {
  const parse = (text: string) => {
    const match = CURSOR.exec(text);
    return match === null ? undefined : Number(match[1]);
  };
  return decodeOpaqueCursor(cursor, parse, (offset) => `v1:${offset}`, 'this API');
}

/**
 * One page of an in-memory list. Cursors hold positions: a list that changes between two calls
 * may shift items across page boundaries, as with any offset pagination.
 */
export function paginate<T>(items: readonly T[], request: PageRequest): Page<T> {
  const offset = request.cursor === undefined ? 0 : decodeCursor(request.cursor);
  const size = request.page_size;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`page_size must be a positive integer, got ${size}`);
  const end = offset + size;
  return {
    data: items.slice(offset, end),
    pagination_data: {
      previous_cursor: offset === 0 ? null : encodeCursor(Math.max(0, Math.min(offset, items.length) - size)),
      next_cursor: end < items.length ? encodeCursor(end) : null,
      total: items.length,
    },
  };
}
