import { expect } from 'chai';
import fc from 'fast-check';
import type { Channel, JsonObject } from '@parley/schemas';
import { compileFilters, type ConversationFilters } from '../src/read-model/conversation-filters.js';
import { comparePositions, ConversationIndex, type IndexPage } from '../src/read-model/conversation-index.js';
import { decodeCursor, encodeCursor, type CursorTarget } from '../src/read-model/cursor.js';
import { emptyConversation, type ConversationAggregate } from '../src/topology/conversation-aggregate.js';
import type { ReadOnlyKeyValueStore } from '@parley/streams';
import { CommunicationReadModel } from '../src/read-model/communication-read-model.js';
import type { CommunicationPage } from '../src/read-model/page.js';
import type { ConversationJson } from '../src/read-model/render.js';
import type { StoreProvider } from '../src/read-model/store-provider.js';
import { facebookMessage } from '../src/testing.js';

const CHANNELS: Channel[] = ['c-1', 'c-2', 'c-3'].map((id, i) => ({
  id,
  source: ['facebook', 'twilio.sms', 'google'][i]!,
  sourceChannelId: id,
  token: null,
  connectionState: 'CONNECTED',
}));

interface Spec {
  id: string;
  channel: number;
  lastAt: number;
  unread: number;
  state?: string | undefined;
  tags: string[];
  name?: string | undefined;
  tier?: number | string | undefined;
}

function aggregateOf(spec: Spec): ConversationAggregate {
  const channel = CHANNELS[spec.channel]!;
  const metadata: JsonObject = {};
  if (spec.state !== undefined) metadata.state = spec.state;
  if (spec.tags.length > 0) metadata.tags = Object.fromEntries(spec.tags.map((t) => [t, '']));
  if (spec.name !== undefined) metadata.contact = { display_name: spec.name };
  if (spec.tier !== undefined) metadata.user_data = { tier: spec.tier };
  const last = { ...facebookMessage({ psid: spec.id, mid: `m-${spec.id}`, sentAt: spec.lastAt }), channelId: channel.id, source: channel.source };
  return { ...emptyConversation(spec.id), channelId: channel.id, source: channel.source, createdAt: 0, lastMessage: last, unreadCount: spec.unread, messageCount: 1, metadata };
}

function indexOf(specs: readonly Spec[], selectivity?: number): ConversationIndex {
  const index = new ConversationIndex(selectivity === undefined ? {} : { selectivity });
  for (const channel of CHANNELS) index.setChannel(channel.id, channel);
  for (const spec of specs) index.upsert(aggregateOf(spec));
  return index;
}

/** Stores that hold only conversations (what rendering a list page reads), in a Map. */
function conversationStores(conversations: Map<string, ConversationAggregate>): StoreProvider {
  return {
    store: <TKey, TValue>(name: string) =>
      ({
        name,
        get: (key: string) => (name === 'conversations' ? conversations.get(key) : undefined),
        range: async function* () {},
        all: async function* () {},
        approximateNumEntries: async () => 0,
      }) as unknown as ReadOnlyKeyValueStore<TKey, TValue>,
  };
}

async function readModelOf(specs: readonly Spec[]): Promise<CommunicationReadModel> {
  const readModel = new CommunicationReadModel();
  const conversations = new Map<string, ConversationAggregate>();
  await readModel.attach(conversationStores(conversations));
  for (const channel of CHANNELS) readModel.listener.channelChanged(channel.id, channel);
  for (const spec of specs) {
    // As the topology does: the store first, then the listener.
    const aggregate = aggregateOf(spec);
    conversations.set(aggregate.id, aggregate);
    readModel.listener.conversationChanged(aggregate);
  }
  return readModel;
}

/** Every page from the first, following next cursors through their opaque encoding. */
function walk(index: ConversationIndex, filters: ConversationFilters, pageSize: number): { ids: string[]; pages: IndexPage[] } {
  const predicate = compileFilters(filters);
  const pages: IndexPage[] = [];
  let after: CursorTarget | undefined;
  for (;;) {
    const page = index.page(predicate, after, pageSize);
    pages.push(page);
    if (page.next === null) break;
    // A cursor that does not advance would loop forever: every page must hold something new.
    if (page.items.length === 0 || pages.length > index.size + 1) throw new Error('pagination does not advance');
    after = decodeCursor('conv', encodeCursor('conv', page.next));
  }
  return { ids: pages.flatMap((p) => p.items.map((i) => i.id)), pages };
}

/** The model: specs filtered by plain code, sorted newest first, then id descending. */
function model(specs: readonly Spec[], filters: ConversationFilters): string[] {
  return specs
    .filter((s) => filters.channelIds === undefined || filters.channelIds.length === 0 || filters.channelIds.includes(CHANNELS[s.channel]!.id))
    .filter((s) => filters.sources === undefined || filters.sources.length === 0 || filters.sources.includes(CHANNELS[s.channel]!.source))
    .filter((s) => (filters.tagIds ?? []).every((t) => s.tags.includes(t)))
    .filter((s) => filters.state === undefined || s.state === filters.state)
    .filter((s) => filters.unread === undefined || s.unread > 0 === filters.unread)
    .filter((s) => {
      if (filters.displayName === undefined || filters.displayName === '') return true;
      const name = s.name ?? `${CHANNELS[s.channel]!.source.split('.').pop()!.replace(/^./, (c) => c.toUpperCase())} ${s.id.slice(-5)}`;
      return name.toLowerCase().includes(filters.displayName.toLowerCase());
    })
    .filter((s) => {
      const wanted = filters.metadata?.['user_data.tier'];
      return wanted === undefined || (s.tier !== undefined && String(s.tier) === String(wanted));
    })
    .sort((a, b) => b.lastAt - a.lastAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((s) => s.id);
}

const specsOf = (n: number): Spec[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `conv-${String(i).padStart(5, '0')}`,
    channel: i % 3,
    // Many equal times: ties must be broken by id, not lost.
    lastAt: 1_000_000 + Math.floor(i / 7) * 1000,
    unread: i % 4 === 0 ? 2 : 0,
    state: i % 5 === 0 ? 'CLOSED' : 'OPEN',
    tags: i % 2 === 0 ? ['even'] : [],
  }));

describe('Communication > ReadModel > ConversationIndex', () => {
  it('walks 5000 conversations page by page with no cap, in order, the total on every page', () => {
    const specs = specsOf(5000);
    const index = indexOf(specs);
    const { ids, pages } = walk(index, {}, 97);
    expect(ids).to.deep.equal(model(specs, {}));
    expect(pages.every((p) => p.total === 5000)).to.equal(true);
    const filtered = walk(index, { tagIds: ['even'], state: 'OPEN' }, 250);
    expect(filtered.ids).to.deep.equal(model(specs, { tagIds: ['even'], state: 'OPEN' }));
    expect(filtered.ids).to.have.length(2000);
    expect(filtered.pages.every((p) => p.total === 2000)).to.equal(true);
  });

  it('walks back with previous cursors to the pages it came from', () => {
    const specs = specsOf(500);
    const index = indexOf(specs);
    for (const filters of [{}, { unread: true }] as ConversationFilters[]) {
      const predicate = compileFilters(filters);
      const { pages } = walk(index, filters, 30);
      for (let i = pages.length - 1; i > 0; i -= 1) {
        const previous = pages[i]!.previous;
        expect(previous).to.not.equal(null);
        const back = index.page(predicate, previous!, 30);
        expect(back.items.map((x) => x.id)).to.deep.equal(pages[i - 1]!.items.map((x) => x.id));
      }
      expect(pages[0]!.previous).to.equal(null);
    }
  });

  it('keeps a cursor stable while conversations are added above it or move', () => {
    const specs = specsOf(300);
    const index = indexOf(specs);
    const first = index.page(undefined, undefined, 50);
    const expectedSecond = index.page(undefined, first.next!, 50).items.map((x) => x.id);
    // New conversations at the top, and one from page 3 moving to the top.
    for (let i = 0; i < 20; i += 1) index.upsert(aggregateOf({ id: `new-${i}`, channel: 0, lastAt: 9_000_000 + i, unread: 0, tags: [] }));
    const mover = specs.find((s) => s.id === model(specs, {})[120])!;
    index.upsert(aggregateOf({ ...mover, lastAt: 9_999_999 }));
    const second = index.page(undefined, first.next!, 50).items.map((x) => x.id);
    expect(second).to.deep.equal(expectedSecond);
    expect(second.some((id) => first.items.some((x) => x.id === id))).to.equal(false);
  });

  it('lists through conversations.list the same as a plain filter and sort, whatever the filters and page size', async () => {
    const spec = fc.record({
      id: fc.stringMatching(/^[a-f0-9]{1,6}$/),
      channel: fc.integer({ min: 0, max: 2 }),
      lastAt: fc.integer({ min: 0, max: 20 }),
      unread: fc.integer({ min: 0, max: 2 }),
      state: fc.option(fc.constantFrom('OPEN', 'CLOSED'), { nil: undefined }),
      tags: fc.subarray(['a', 'b', 'c']),
      name: fc.option(fc.constantFrom('Ada', 'ada lovelace', 'Bob'), { nil: undefined }),
    });
    const filters = fc.record(
      {
        channelIds: fc.subarray(['c-1', 'c-2', 'c-3']),
        sources: fc.subarray(['facebook', 'twilio.sms', 'google']),
        tagIds: fc.subarray(['a', 'b', 'c'], { maxLength: 2 }),
        state: fc.constantFrom('OPEN', 'CLOSED'),
        unread: fc.boolean(),
        displayName: fc.constantFrom('', 'ada', 'LOVE', 'sms', 'o'),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(spec, { selector: (s) => s.id, maxLength: 60 }), filters, fc.integer({ min: 1, max: 7 }), async (specs, f, pageSize) => {
        // Through the query layer: the listener feeds the index, pages come back as API JSON.
        const readModel = await readModelOf(specs);
        const expected = model(specs, f);
        const pages: CommunicationPage<ConversationJson>[] = [];
        let cursor: string | undefined;
        do {
          const page = readModel.listConversations({ filters: f, pageSize, ...(cursor === undefined ? {} : { cursor }) });
          pages.push(page);
          cursor = page.pagination_data.next_cursor ?? undefined;
        } while (cursor !== undefined);
        expect(pages.flatMap((p) => p.data.map((c) => c.id))).to.deep.equal(expected);
        for (const page of pages) expect(page.pagination_data.total).to.equal(expected.length);
        const lastPrevious = pages[pages.length - 1]!.pagination_data.previous_cursor;
        if (pages.length > 1) {
          const back = readModel.listConversations({ filters: f, pageSize, cursor: lastPrevious! });
          expect(back.data.map((c) => c.id)).to.deep.equal(pages[pages.length - 2]!.data.map((c) => c.id));
        } else {
          expect(lastPrevious).to.equal(null);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers selective filters from posting lists exactly as a scan does', () => {
    const spec = fc.record({
      id: fc.stringMatching(/^[a-f0-9]{1,6}$/),
      channel: fc.integer({ min: 0, max: 2 }),
      lastAt: fc.integer({ min: 0, max: 20 }),
      unread: fc.integer({ min: 0, max: 1 }),
      state: fc.option(fc.constantFrom('OPEN', 'CLOSED'), { nil: undefined }),
      tags: fc.subarray(['a', 'b', 'c']),
      tier: fc.option(fc.constantFrom(1, 2, '2', 'gold'), { nil: undefined }),
    });
    const filters = fc.record(
      {
        channelIds: fc.subarray(['c-1', 'c-2', 'c-3'], { maxLength: 2 }),
        tagIds: fc.subarray(['a', 'b', 'c'], { maxLength: 2 }),
        state: fc.constantFrom('OPEN', 'CLOSED'),
        unread: fc.boolean(),
        metadata: fc.constantFrom({ 'user_data.tier': 2 }, { 'user_data.tier': '2' }, { 'user_data.tier': 'gold' }, { 'user_data.tier': 1 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.uniqueArray(spec, { selector: (s) => s.id, maxLength: 60 }), filters, fc.integer({ min: 1, max: 5 }), (specs, f, pageSize) => {
        const expected = model(specs, f);
        for (const selectivity of [1, 16]) {
          const { ids, pages } = walk(indexOf(specs, selectivity), f, pageSize);
          expect(ids).to.deep.equal(expected);
          for (const page of pages) expect(page.total).to.equal(expected.length);
          for (let i = 1; i < pages.length; i += 1) {
            const back = indexOf(specs, selectivity).page(compileFilters(f), pages[i]!.previous!, pageSize);
            expect(back.items.map((x) => x.id)).to.deep.equal(pages[i - 1]!.items.map((x) => x.id));
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps what the listener delivered over what a load reads, and sorts loaded rows in', () => {
    const index = new ConversationIndex();
    index.setChannel('c-1', CHANNELS[0]!);
    index.beginLoad();
    index.upsert(aggregateOf({ id: 'x', channel: 0, lastAt: 50, unread: 0, tags: [] }));
    index.loadConversation(aggregateOf({ id: 'x', channel: 0, lastAt: 10, unread: 0, tags: [] }));
    index.loadConversation(aggregateOf({ id: 'y', channel: 0, lastAt: 30, unread: 0, tags: [] }));
    index.loadConversation(aggregateOf({ id: 'z', channel: 0, lastAt: 70, unread: 0, tags: [] }));
    index.endLoad();
    expect(index.page(undefined, undefined, 10).items.map((x) => [x.id, x.t])).to.deep.equal([
      ['z', 70],
      ['x', 50],
      ['y', 30],
    ]);
  });

  it('orders positions by time descending, then id descending', () => {
    expect(comparePositions({ t: 2, id: 'a' }, { t: 1, id: 'z' })).to.be.lessThan(0);
    expect(comparePositions({ t: 1, id: 'b' }, { t: 1, id: 'a' })).to.be.lessThan(0);
    expect(comparePositions({ t: 1, id: 'a' }, { t: 1, id: 'a' })).to.equal(0);
  });
});
