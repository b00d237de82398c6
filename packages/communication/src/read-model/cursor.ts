import { CommunicationError } from '../errors.js';

/**
 * The one cursor codec of the API. Every cursor is opaque to clients: base64url of a versioned
 * text, so the encoding can change without breaking them; only the canonical encoding of a text
 * is accepted (base64 ignores trailing bits, so several strings decode alike); anything else is
 * RUNTIME_INVALID_CURSOR (field `cursor`), never a 500.
 *
 * Keyset cursors (`conversations.list`, `messages.list`, the chat plugin's history) are
 * `<kind>1:<time>:<id>` (a page starts strictly after, or for the history before, that position)
 * or `<kind>1:start` (the first page). A cursor names a place in the order, not an offset, so
 * items added or removed elsewhere in the list do not shift the pages after it. Offset cursors of
 * in-memory lists (the runtime's `paginate`) use encodeOpaqueCursor/decodeOpaqueCursor directly.
 */

/** An opaque cursor for `text` (a versioned, printable description of a position). */
export function encodeOpaqueCursor(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * The value an opaque cursor describes: `parse` reads the decoded text (undefined when it is not
 * one of its own); the cursor must be exactly `encodeOpaqueCursor(format(value))`.
 * @throws CommunicationError RUNTIME_INVALID_CURSOR (field `cursor`) for anything else.
 */
export function decodeOpaqueCursor<T>(cursor: unknown, parse: (text: string) => T | undefined, format: (value: T) => string, what = 'this list'): T {
  const invalid = () => new CommunicationError('RUNTIME_INVALID_CURSOR', `cursor: not a cursor returned by ${what}`, { field: 'cursor' });
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const value = parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (value === undefined || encodeOpaqueCursor(format(value)) !== cursor) throw invalid();
  return value;
}

/** A place in a list ordered by (time, id). */
export interface Position {
  /** Milliseconds since the epoch. */
  readonly t: number;
  readonly id: string;
}

/** `conv` for conversations.list, `msg` for messages.list, `hist` for the chat plugin's history: a cursor of one list is refused by the others. */
export type CursorKind = 'conv' | 'msg' | 'hist';

/** What a decoded cursor says: start from the top, or after a position. */
export type CursorTarget = 'start' | Position;

function formatTarget(kind: CursorKind, target: CursorTarget): string {
  return target === 'start' ? `${kind}1:start` : `${kind}1:${target.t}:${target.id}`;
}

function parseTarget(kind: CursorKind, text: string): CursorTarget | undefined {
  const prefix = `${kind}1:`;
  if (!text.startsWith(prefix)) return undefined;
  const rest = text.slice(prefix.length);
  if (rest === 'start') return 'start';
  const colon = rest.indexOf(':');
  const time = rest.slice(0, colon);
  if (colon < 1 || !/^-?(0|[1-9][0-9]{0,15})$/.test(time) || !Number.isSafeInteger(Number(time))) return undefined;
  return { t: Number(time), id: rest.slice(colon + 1) };
}

export function encodeCursor(kind: CursorKind, target: CursorTarget): string {
  return encodeOpaqueCursor(formatTarget(kind, target));
}

/** @throws CommunicationError RUNTIME_INVALID_CURSOR for anything `encodeCursor(kind, …)` did not produce. */
export function decodeCursor(kind: CursorKind, cursor: string): CursorTarget {
  return decodeOpaqueCursor(cursor, (text) => parseTarget(kind, text), (target) => formatTarget(kind, target));
}
