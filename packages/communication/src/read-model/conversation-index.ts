import { flattenMetadata, type Channel, type JsonValue, type Message } from '@parley/schemas';
import type { ConversationAggregate } from '../topology/conversation-aggregate.js';
import type { CompiledFilters, ConversationPredicate } from './conversation-filters.js';
import type { CursorTarget, Position } from './cursor.js';
import { NameSearch } from './name-search.js';
import { PostingLists } from './posting-lists.js';
import { conversationDisplayName } from './render.js';

/**
 * A filter whose best posting list holds at most 1/selectivity of the conversations is answered
 * from that list (test, sort, page); anything broader scans the sorted array, which is cheaper
 * than sorting a large candidate set.
 */
const DEFAULT_SELECTIVITY = 16;
/** Display-name texts at least this long are searched in the joined names first. */
const MIN_NAME_SEARCH = 3;

const NO_TAGS: ReadonlySet<string> = new Set();
const NO_FIELDS: ReadonlyMap<string, JsonValue> = new Map();

function leavesOf(aggregate: ConversationAggregate): ReadonlyMap<string, JsonValue> {
  try {
    const fields = flattenMetadata(aggregate.metadata);
    return fields.length === 0 ? NO_FIELDS : new Map(fields.map((f) => [f.key, f.value]));
  } catch {
    // A document with a key no dotted path can name (not one the metadata merge produces).
    return NO_FIELDS;
  }
}

/** A conversation that can be listed: it has a message, so a channel, source and times. */
export type ListedAggregate = ConversationAggregate & { lastMessage: Message; createdAt: number; channelId: string; source: string };

/**
 * One listed conversation with what the filters look at, precomputed into one object shape so
 * a scan over 100k of them stays a tight loop. The aggregate itself (with the last message's
 * content) stays in the `conversations` store: the index holds only this, to stay small.
 */
export class IndexedConversation implements Position {
  /** Last message time, ms: with `id`, the list's order key. */
  readonly t: number;
  readonly id: string;
  readonly channelId: string;
  readonly source: string;
  /** Metadata `state`, if any. */
  readonly state: JsonValue | undefined;
  readonly unread: boolean;
  readonly displayNameLower: string;
  readonly tagIds: ReadonlySet<string>;
  /** The metadata's leaves by dotted key: a metadata filter is one map lookup. */
  readonly fields: ReadonlyMap<string, JsonValue>;

  constructor(aggregate: ListedAggregate) {
    this.t = aggregate.lastMessage.sentAt;
    this.id = aggregate.id;
    this.channelId = aggregate.channelId;
    this.source = aggregate.source;
    this.state = aggregate.metadata.state;
    this.unread = aggregate.unreadCount > 0;
    this.displayNameLower = conversationDisplayName(aggregate).toLowerCase();
    const tags = aggregate.metadata.tags;
    const tagIds = tags !== null && typeof tags === 'object' && !Array.isArray(tags) ? Object.keys(tags) : [];
    this.tagIds = tagIds.length === 0 ? NO_TAGS : new Set(tagIds);
    this.fields = leavesOf(aggregate);
  }
}

export interface IndexPage {
  items: IndexedConversation[];
  /** Position of the page's last item when more follow, else null. */
  next: Position | null;
  /** Where the previous page starts ('start': the first page), or null on the first page. */
  previous: CursorTarget | null;
  /** Conversations matching the predicate in the whole list. */
  total: number;
}

/** The list order: newest last message first, then id descending (so equal times never tie). */
export function comparePositions(a: Position, b: Position): number {
  return -ascending(a, b);
}

/** Oldest first, then id ascending: the order of the index's array (the list read backwards). */
function ascending(a: Position, b: Position): number {
  if (a.t !== b.t) return a.t < b.t ? -1 : 1;
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}

export function isListable(aggregate: ConversationAggregate): aggregate is ListedAggregate {
  return aggregate.lastMessage !== null && aggregate.createdAt !== null && aggregate.channelId !== null && aggregate.source !== null;
}

/**
 * In-memory index of the listed conversations and the known channels.
 *
 * The conversations sit in one array sorted oldest first (the list read backwards): a scan is a
 * loop over an array, and the common update, a conversation getting a new message, removes it
 * near the end (active conversations are recent) and pushes it at the end, so the splices stay
 * short. A load from the stores sorts once.
 *
 * A conversation is listed once it has a message and its channel is known: one whose channel has
 * not arrived yet waits here (never dropped) and is listed the moment the channel arrives.
 * Updated synchronously by the topology's listener; filled once from the stores at start
 * (`beginLoad` … `endLoad`), where a value the listener already delivered wins, being newer.
 */
export class ConversationIndex {
  #rows: IndexedConversation[] = [];
  readonly #listed = new Map<string, IndexedConversation>();
  readonly #waiting = new Map<string, IndexedConversation>();
  readonly #channels = new Map<string, Channel>();
  readonly #postings = new PostingLists();
  readonly #names = new NameSearch();
  #loading: { conversations: Set<string>; channels: Set<string>; rows: IndexedConversation[] } | undefined;
  readonly #selectivity: number;

  /** @param options.selectivity answer from posting lists holding at most 1/selectivity of the rows; default 16. */
  constructor(options: { selectivity?: number } = {}) {
    this.#selectivity = options.selectivity ?? DEFAULT_SELECTIVITY;
  }

  /** Listed conversations. */
  get size(): number {
    return this.#rows.length;
  }

  /** A listed conversation. */
  get(id: string): IndexedConversation | undefined {
    return this.#listed.get(id);
  }

  channel(id: string): Channel | undefined {
    return this.#channels.get(id);
  }

  channels(): IterableIterator<Channel> {
    return this.#channels.values();
  }

  upsert(aggregate: ConversationAggregate): void {
    this.#loading?.conversations.add(aggregate.id);
    this.#place(aggregate);
  }

  setChannel(id: string, channel: Channel | null): void {
    this.#loading?.channels.add(id);
    this.#placeChannel(id, channel);
  }

  /** Starts a load from the stores: until `endLoad`, values the listener delivers win over loaded ones. */
  beginLoad(): void {
    this.#loading = { conversations: new Set(), channels: new Set(), rows: [] };
  }

  loadChannel(id: string, channel: Channel): void {
    if (this.#loading?.channels.has(id) === true) return;
    this.#placeChannel(id, channel);
  }

  /** Loads a conversation; rows are sorted in once, at `endLoad`. */
  loadConversation(aggregate: ConversationAggregate): void {
    const loading = this.#loading;
    if (loading === undefined) return this.#place(aggregate);
    if (loading.conversations.has(aggregate.id)) return;
    loading.conversations.add(aggregate.id);
    if (!isListable(aggregate)) return;
    const row = new IndexedConversation(aggregate);
    if (!this.#channels.has(row.channelId)) {
      this.#waiting.set(row.id, row);
      return;
    }
    loading.rows.push(row);
    this.#listed.set(row.id, row);
    this.#postings.add(row);
  }

  endLoad(): void {
    const loading = this.#loading;
    this.#loading = undefined;
    if (loading === undefined || loading.rows.length === 0) return;
    this.#rows = [...this.#rows, ...loading.rows.filter((row) => this.#listed.get(row.id) === row)].sort(ascending);
    this.#names.invalidateFrom(0);
  }

  /**
   * One page of the conversations matching `filters` (all when undefined), in list order,
   * starting after `after`, and the filtered total. Without filters the page is sliced out; with
   * a selective one its candidates are tested and sorted; otherwise every conversation is tested
   * once, in order.
   */
  page(filters: CompiledFilters | undefined, after: CursorTarget | undefined, pageSize: number): IndexPage {
    const from = after === undefined || after === 'start' ? undefined : after;
    if (filters !== undefined) {
      const candidates = this.#candidates(filters);
      if (candidates !== undefined) return candidatePage(candidates.filter(filters.predicate).sort(comparePositions), from, pageSize);
    }
    // Rows at index >= boundary come before the page (list order runs from the end of the array).
    const boundary = from === undefined ? this.#rows.length : this.#lowerBound(from);
    if (filters === undefined) return this.#unfilteredPage(boundary, pageSize);
    // A short text matches most names: collecting them all costs more than one scan.
    const text = filters.displayName;
    const named = text === undefined || text.length < MIN_NAME_SEARCH ? undefined : this.#names.search(this.#rows, text);
    return this.#filteredPage(filters.predicate, boundary, pageSize, named);
  }

  /** The candidates of the most selective requirement, when it is selective enough to beat a scan. */
  #candidates(filters: CompiledFilters): IndexedConversation[] | undefined {
    let best: ReadonlySet<IndexedConversation>[] | undefined;
    let bestSize = Infinity;
    for (const requirement of filters.requirements) {
      const sets: ReadonlySet<IndexedConversation>[] = [];
      if (requirement.kind === 'fields') {
        for (const key of requirement.keys) {
          const set = this.#postings.field(key);
          if (set !== undefined) sets.push(set);
        }
      } else {
        const set = this.#postings.metadata(requirement.key, requirement.valueKey, this.#rows);
        if (set !== undefined) sets.push(set);
      }
      const size = sets.reduce((sum, set) => sum + set.size, 0);
      if (size < bestSize) {
        best = sets;
        bestSize = size;
      }
    }
    if (best === undefined || bestSize * this.#selectivity > this.#rows.length) return undefined;
    // The sets of one requirement hold different values of one field: they never share a row.
    return best.flatMap((set) => [...set]);
  }

  #unfilteredPage(boundary: number, pageSize: number): IndexPage {
    const rows = this.#rows;
    const end = Math.max(0, boundary - pageSize);
    const items: IndexedConversation[] = [];
    for (let i = boundary - 1; i >= end; i -= 1) items.push(rows[i]!);
    const next = end > 0 && items.length > 0 ? positionOf(items[items.length - 1]!) : null;
    const beforeCount = rows.length - boundary;
    let previous: CursorTarget | null = null;
    if (beforeCount > pageSize) previous = positionOf(rows[boundary + pageSize]!);
    else if (beforeCount > 0) previous = 'start';
    return { items, next, previous, total: rows.length };
  }

  /** Tests every row, or only `indices` (highest first) when a name search narrowed them. */
  #filteredPage(predicate: ConversationPredicate, boundary: number, pageSize: number, indices?: readonly number[]): IndexPage {
    const rows = this.#rows;
    const items: IndexedConversation[] = [];
    let total = 0;
    let more = false;
    // The last pageSize + 1 matches before the page, in a ring: the oldest of them starts the previous page.
    const ring = new Array<IndexedConversation>(pageSize + 1);
    let before = 0;
    const count = indices === undefined ? rows.length : indices.length;
    for (let n = 0; n < count; n += 1) {
      const i = indices === undefined ? rows.length - 1 - n : indices[n]!;
      const row = rows[i]!;
      if (!predicate(row)) continue;
      total += 1;
      if (i >= boundary) {
        ring[before % ring.length] = row;
        before += 1;
      } else if (items.length < pageSize) {
        items.push(row);
      } else {
        more = true;
      }
    }
    let previous: CursorTarget | null = null;
    if (before > pageSize) previous = positionOf(ring[(before - pageSize - 1) % ring.length]!);
    else if (before > 0) previous = 'start';
    return { items, next: more ? positionOf(items[items.length - 1]!) : null, previous, total };
  }

  /** The first index whose row is not below `position` (ascending order). */
  #lowerBound(position: Position): number {
    let low = 0;
    let high = this.#rows.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (ascending(this.#rows[mid]!, position) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  #remove(id: string): void {
    this.#waiting.delete(id);
    const current = this.#listed.get(id);
    if (current === undefined) return;
    this.#listed.delete(id);
    this.#postings.delete(current);
    const index = this.#lowerBound(current);
    if (this.#rows[index] === current) {
      this.#rows.splice(index, 1);
      this.#names.invalidateFrom(index);
    } else {
      this.#rows = this.#rows.filter((row) => row !== current);
      this.#names.invalidateFrom(0);
    }
  }

  #place(aggregate: ConversationAggregate): void {
    this.#remove(aggregate.id);
    if (isListable(aggregate)) this.#placeRow(new IndexedConversation(aggregate));
  }

  #placeRow(row: IndexedConversation): void {
    if (!this.#channels.has(row.channelId)) {
      this.#waiting.set(row.id, row);
      return;
    }
    const index = this.#lowerBound(row);
    if (index === this.#rows.length) this.#rows.push(row);
    else this.#rows.splice(index, 0, row);
    this.#names.invalidateFrom(index);
    this.#listed.set(row.id, row);
    this.#postings.add(row);
  }

  #placeChannel(id: string, channel: Channel | null): void {
    const known = this.#channels.has(id);
    if (channel === null) {
      this.#channels.delete(id);
      if (!known) return;
      for (const row of [...this.#listed.values()]) {
        if (row.channelId !== id) continue;
        this.#remove(row.id);
        this.#placeRow(row);
      }
      return;
    }
    this.#channels.set(id, channel);
    if (known) return;
    for (const row of [...this.#waiting.values()]) {
      if (row.channelId !== id) continue;
      this.#waiting.delete(row.id);
      this.#placeRow(row);
    }
  }
}

/** A page of `matches`, already filtered and in list order. */
function candidatePage(matches: IndexedConversation[], from: Position | undefined, pageSize: number): IndexPage {
  // matches[0 .. boundary) come before the page.
  let boundary = 0;
  if (from !== undefined) {
    let high = matches.length;
    while (boundary < high) {
      const mid = (boundary + high) >>> 1;
      if (comparePositions(matches[mid]!, from) <= 0) boundary = mid + 1;
      else high = mid;
    }
  }
  const items = matches.slice(boundary, boundary + pageSize);
  const more = boundary + pageSize < matches.length;
  let previous: CursorTarget | null = null;
  if (boundary > pageSize) previous = positionOf(matches[boundary - pageSize - 1]!);
  else if (boundary > 0) previous = 'start';
  return { items, next: more && items.length > 0 ? positionOf(items[items.length - 1]!) : null, previous, total: matches.length };
}

function positionOf(row: IndexedConversation): Position {
  return { t: row.t, id: row.id };
}
