import { CommunicationError } from '../errors.js';

/**
 * Opaque keyset cursors: base64url of `<kind>1:<time>:<id>` (a page starts strictly after that
 * position) or `<kind>1:start` (the first page). A cursor names a place in the order, not an
 * offset, so items added or removed elsewhere in the list do not shift the pages after it.
 * A string that is not one of ours is RUNTIME_INVALID_CURSOR (field `cursor`).
 */

/** A place in a list ordered by (time, id). */
export interface Position {
  /** Milliseconds since the epoch. */
  readonly t: number;
  readonly id: string;
}

/** `conv` for conversations.list, `msg` for messages.list: a cursor of one list is refused by the other. */
export type CursorKind = 'conv' | 'msg';

/** What a decoded cursor says: start from the top, or after a position. */
export type CursorTarget = 'start' | Position;

export function encodeCursor(kind: CursorKind, target: CursorTarget): string {
  const text = target === 'start' ? `${kind}1:start` : `${kind}1:${target.t}:${target.id}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** @throws CommunicationError RUNTIME_INVALID_CURSOR for anything `encodeCursor(kind, …)` did not produce. */
export function decodeCursor(kind: CursorKind, cursor: string): CursorTarget {
  const invalid = () => new CommunicationError('RUNTIME_INVALID_CURSOR', 'cursor: not a cursor returned by this list', { field: 'cursor' });
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = `${kind}1:`;
  if (!text.startsWith(prefix)) throw invalid();
  const rest = text.slice(prefix.length);
  let target: CursorTarget;
  if (rest === 'start') {
    target = 'start';
  } else {
    const colon = rest.indexOf(':');
    const time = rest.slice(0, colon);
    if (colon < 1 || !/^-?(0|[1-9][0-9]{0,15})$/.test(time) || !Number.isSafeInteger(Number(time))) throw invalid();
    target = { t: Number(time), id: rest.slice(colon + 1) };
  }
  // Canonical encodings only: base64 ignores trailing bits, so several strings decode alike.
  if (encodeCursor(kind, target) !== cursor) throw invalid();
  return target;
}
