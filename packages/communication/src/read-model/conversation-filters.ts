import type { JsonPrimitive, JsonValue } from '@parley/schemas';
import type { IndexedConversation } from './conversation-index.js';
import { metadataValueKey, postingKey } from './posting-lists.js';

/**
 * Filters of conversations.list; every given filter must match (AND). An empty list or an
 * omitted field does not filter.
 */
export interface ConversationFilters {
  /** The conversation is on one of these channels. */
  channelIds?: readonly string[];
  /** The conversation's source is one of these (`facebook`, `twilio.sms`, …; exact). */
  sources?: readonly string[];
  /** The conversation carries every one of these tags (metadata `tags.<tagId>`). */
  tagIds?: readonly string[];
  /** Metadata `state` equals this (by convention `OPEN` or `CLOSED`). */
  state?: string;
  /** true: unread_count > 0; false: unread_count = 0. */
  unread?: boolean;
  /** The display name contains this text, ignoring case. */
  displayName?: string;
  /**
   * Conversation metadata at each dotted key equals the value (`{ 'user_data.erp.id': 'abc' }`).
   * A number or boolean stored under the key also matches its text (`'42'` matches 42).
   */
  metadata?: Readonly<Record<string, JsonPrimitive>>;
}

export type ConversationPredicate = (conversation: IndexedConversation) => boolean;

/**
 * A condition every match meets that posting lists can answer: one of `keys` (field values), or
 * a metadata value. The index starts from the most selective one when it is selective enough.
 */
export type FilterRequirement = { kind: 'fields'; keys: string[] } | { kind: 'metadata'; key: string; valueKey: string };

/** Filters made ready for the index: the full predicate, and what posting lists can narrow. */
export interface CompiledFilters {
  predicate: ConversationPredicate;
  requirements: FilterRequirement[];
  /** The display-name text (lower case), when filtered by it: the index can search names first. */
  displayName: string | undefined;
}

function sameValue(stored: JsonValue | undefined, wanted: JsonPrimitive): boolean {
  if (stored === undefined) return false;
  if (stored === wanted) return true;
  return stored !== null && typeof stored !== 'object' && wanted !== null && String(stored) === String(wanted);
}

/** The predicate of all given filters; undefined when nothing filters (the list is everything). */
export function conversationPredicate(filters: ConversationFilters = {}): ConversationPredicate | undefined {
  return compileFilters(filters)?.predicate;
}

/**
 * The filters normalized for one monomorphic test (cheap checks first): a single function
 * reading the row's fields stays fast over 100k rows, where a chain of per-filter closures
 * would make every call site megamorphic.
 */
interface NormalizedFilters {
  unread: boolean | undefined;
  state: string | undefined;
  channelIds: ReadonlySet<string> | undefined;
  sources: ReadonlySet<string> | undefined;
  tagIds: readonly string[] | undefined;
  displayName: string | undefined;
  metadata: readonly (readonly [string, JsonPrimitive])[] | undefined;
}

function matches(c: IndexedConversation, f: NormalizedFilters): boolean {
  if (f.unread !== undefined && c.unread !== f.unread) return false;
  if (f.state !== undefined && c.state !== f.state) return false;
  if (f.channelIds !== undefined && !f.channelIds.has(c.channelId)) return false;
  if (f.sources !== undefined && !f.sources.has(c.source)) return false;
  if (f.tagIds !== undefined) for (const tag of f.tagIds) if (!c.tagIds.has(tag)) return false;
  if (f.displayName !== undefined && !c.displayNameLower.includes(f.displayName)) return false;
  if (f.metadata !== undefined) for (const [key, value] of f.metadata) if (!sameValue(c.fields.get(key), value)) return false;
  return true;
}

const nonEmpty = <T>(list: readonly T[] | undefined): readonly T[] | undefined => (list === undefined || list.length === 0 ? undefined : list);

/** Compiles the filters; undefined when nothing filters. */
export function compileFilters(filters: ConversationFilters = {}): CompiledFilters | undefined {
  const channelIds = nonEmpty(filters.channelIds);
  const sources = nonEmpty(filters.sources);
  const tagIds = nonEmpty(filters.tagIds);
  const metadata = Object.entries(filters.metadata ?? {});
  const normalized: NormalizedFilters = {
    unread: filters.unread,
    state: filters.state,
    channelIds: channelIds === undefined ? undefined : new Set(channelIds),
    sources: sources === undefined ? undefined : new Set(sources),
    tagIds: tagIds === undefined ? undefined : [...new Set(tagIds)],
    displayName: filters.displayName === undefined || filters.displayName.length === 0 ? undefined : filters.displayName.toLowerCase(),
    metadata: metadata.length === 0 ? undefined : metadata,
  };
  const requirements: FilterRequirement[] = [];
  if (normalized.channelIds !== undefined) requirements.push({ kind: 'fields', keys: [...normalized.channelIds].map(postingKey.channel) });
  if (normalized.sources !== undefined) requirements.push({ kind: 'fields', keys: [...normalized.sources].map(postingKey.source) });
  for (const tag of normalized.tagIds ?? []) requirements.push({ kind: 'fields', keys: [postingKey.tag(tag)] });
  if (normalized.state !== undefined) requirements.push({ kind: 'fields', keys: [postingKey.state(normalized.state)] });
  for (const [key, value] of metadata) requirements.push({ kind: 'metadata', key, valueKey: metadataValueKey(value)! });
  const filtering = Object.values(normalized).some((value) => value !== undefined);
  if (!filtering) return undefined;
  return { predicate: (c) => matches(c, normalized), requirements, displayName: normalized.displayName };
}
