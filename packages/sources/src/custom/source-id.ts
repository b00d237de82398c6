/**
 * Custom source ids. A source id is the `source` of its channels and messages and the first input
 * of its channel ids, `channelId(sourceId, sourceChannelId)`, a hash of the plain concatenation:
 * an id that begins with another source's name (or is the beginning of one) could derive the same
 * channel id as that source (`("face", "book1")` vs `("facebook", "1")`), so such ids are refused.
 */
import { SourcesError } from '../errors.js';

/** The built-in providers' source names (Message.source / Channel.source). */
export const BUILT_IN_SOURCE_NAMES = Object.freeze([
  'facebook',
  'instagram',
  'google',
  'twilio.sms',
  'twilio.whatsapp',
  'viber',
  'whatsapp',
  'chatplugin',
  'telegram',
] as const);

/** Names no custom source may take or prefix: they name parts of Parley itself. */
export const RESERVED_SOURCE_NAMES = Object.freeze(['custom', 'parley', 'system'] as const);

/** Lisp-case, 2–64 characters: a key segment, a topic-name segment and a token segment. */
export const SOURCE_ID_PATTERN = /^[a-z][a-z0-9-]{1,63}$/;

/**
 * Checks a new custom source id against its syntax and against every other source's name
 * (`existing`: the ids of the custom sources already registered).
 * @throws SourcesError SOURCES_SOURCE_ID_INVALID (field `id`).
 */
export function assertNewSourceId(id: string, existing: Iterable<string>): void {
  if (typeof id !== 'string' || !SOURCE_ID_PATTERN.test(id)) {
    throw new SourcesError('SOURCES_SOURCE_ID_INVALID', `a source id is 2-64 lowercase letters, digits and dashes, starting with a letter; got ${JSON.stringify(id)}`, { field: 'id' });
  }
  const fixed = new Set<string>([...BUILT_IN_SOURCE_NAMES, ...RESERVED_SOURCE_NAMES]);
  for (const other of [...fixed, ...existing]) {
    // An exact duplicate of a custom source is SOURCES_SOURCE_EXISTS, checked by the caller.
    if (other === id && !fixed.has(other)) continue;
    if (id.startsWith(other) || other.startsWith(id)) {
      throw new SourcesError('SOURCES_SOURCE_ID_INVALID', `source id ${id} must not begin with, or be the beginning of, the source name ${other}`, { field: 'id' });
    }
  }
}
