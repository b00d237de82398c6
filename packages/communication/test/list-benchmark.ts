/**
 * Measures conversations.list at 100k conversations (not a test: run it by hand).
 *
 *   node --conditions=source --import tsx packages/runtime/test/communication/list-benchmark.ts [count]
 *
 * The read model is fed through its listener, as the topology feeds it; the conversations store
 * is a Map and every metadata lookup is empty, so the figures are the index (filter, order, page)
 * plus rendering the page.
 */
import { performance } from 'node:perf_hooks';
import type { Channel, JsonObject } from '@parley/schemas';
import type { ReadOnlyKeyValueStore } from '@parley/streams';
import { CommunicationReadModel } from '../src/read-model/communication-read-model.js';
import type { ConversationListQuery } from '../src/read-model/conversation-queries.js';
import { emptyConversation, type ConversationAggregate } from '../src/topology/conversation-aggregate.js';
import { facebookMessage } from '../src/testing.js';

const count = Number(process.argv[2] ?? 100_000);
const channels: Channel[] = Array.from({ length: 10 }, (_, i) => ({
  id: `channel-${i}`,
  source: i % 2 === 0 ? 'facebook' : 'twilio.sms',
  sourceChannelId: `acct-${i}`,
  token: null,
  connectionState: 'CONNECTED',
}));
const names = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Barbara Liskov', 'Edsger Dijkstra'];

const conversations = new Map<string, ConversationAggregate>();
const stores = {
  store: <TKey, TValue>(name: string) =>
    ({
      name,
      get: (key: string) => (name === 'conversations' ? conversations.get(key) : name === 'channels' ? channels.find((c) => c.id === key) : undefined),
      range: async function* () {},
      all: async function* () {
        if (name === 'conversations') for (const [k, value] of conversations) yield { key: k, value };
        if (name === 'channels') for (const channel of channels) yield { key: channel.id, value: channel };
      },
      approximateNumEntries: async () => 0,
    }) as unknown as ReadOnlyKeyValueStore<TKey, TValue>,
};

function aggregateOf(i: number, sentAt: number): ConversationAggregate {
  const channel = channels[i % channels.length]!;
  const metadata: JsonObject = { state: i % 3 === 0 ? 'CLOSED' : 'OPEN', contact: { display_name: `${names[i % names.length]} ${i}` } };
  if (i % 10 === 0) metadata.tags = { vip: '' };
  if (i % 100 === 0) metadata.user_data = { erp: { id: `E-${i}` } };
  const lastMessage = { ...facebookMessage({ psid: `p-${i}`, mid: `m-${i}`, sentAt }), channelId: channel.id, source: channel.source };
  const aggregate: ConversationAggregate = {
    ...emptyConversation(`conversation-${i}`),
    channelId: channel.id,
    source: channel.source,
    createdAt: sentAt,
    lastMessage,
    unreadCount: i % 4,
    messageCount: 1,
    metadata,
  };
  return aggregate;
}

for (let i = 0; i < count; i += 1) {
  const aggregate = aggregateOf(i, 1_700_000_000_000 + ((i * 7919) % count) * 1000);
  conversations.set(aggregate.id, aggregate);
}
const readModel = new CommunicationReadModel();
const loadStart = performance.now();
await readModel.attach(stores);
console.log(`attach: loaded ${readModel.index.size} conversations from the stores in ${(performance.now() - loadStart).toFixed(0)} ms`);

// Updates as the topology delivers them: a random conversation gets a new message.
const updates = 10_000;
const updateStart = performance.now();
for (let u = 0; u < updates; u += 1) {
  const i = (u * 104_729) % count;
  const aggregate = aggregateOf(i, 1_800_000_000_000 + u);
  conversations.set(aggregate.id, aggregate);
  readModel.listener.conversationChanged(aggregate);
}
console.log(`listener: ${updates} updates of random conversations, ${(((performance.now() - updateStart) / updates) * 1000).toFixed(0)} µs each`);

function measure(label: string, query: () => ConversationListQuery, runs = 300): void {
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < runs + 20; i += 1) {
    const q = query();
    const start = performance.now();
    const page = readModel.listConversations(q);
    const ms = performance.now() - start;
    if (i >= 20) times.push(ms);
    total = page.pagination_data.total;
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
  console.log(`${label.padEnd(44)} total ${String(total).padStart(6)}  p50 ${at(0.5)} ms  p99 ${at(0.99)} ms`);
}

const deepCursor = (() => {
  let cursor: string | undefined;
  for (let i = 0; i < 200; i += 1) cursor = readModel.listConversations({ pageSize: 100, ...(cursor === undefined ? {} : { cursor }) }).pagination_data.next_cursor!;
  return cursor;
})();

// The machine's noise floor: the same scan shape with a predicate that reads one field.
measure('baseline: predicate on one field (unread)', () => ({ filters: { unread: true } }));
measure('first page, no filter', () => ({ pageSize: 20 }));
measure('page at 20 000, no filter', () => ({ pageSize: 20, cursor: deepCursor }));
measure('state = OPEN', () => ({ filters: { state: 'OPEN' } }));
measure('unread, source facebook', () => ({ filters: { unread: true, sources: ['facebook'] } }));
measure('tag vip + channel', () => ({ filters: { tagIds: ['vip'], channelIds: ['channel-0', 'channel-2'] } }));
measure('display name contains "hopper"', () => ({ filters: { displayName: 'hopper' } }));
measure('metadata user_data.erp.id', () => ({ filters: { metadata: { 'user_data.erp.id': 'E-500' } } }));
measure('display name contains "a" (most match)', () => ({ filters: { displayName: 'a' } }));
measure('state + display name, page at 20 000', () => ({ filters: { state: 'OPEN', displayName: 'lov' }, cursor: deepCursor, pageSize: 20 }));
