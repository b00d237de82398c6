import { expect } from 'chai';
import fc from 'fast-check';
import { metadataSubject, type Message, type MetadataChange } from '@parley/schemas';
import { buildCommunicationTopology } from '../src/topology/communication-topology.js';
import type { ConversationAggregate } from '../src/topology/conversation-aggregate.js';
import { conversationKeyRange } from '../src/topology/message-order-key.js';
import { toMetadataState } from '../src/topology/metadata-aggregator.js';
import { COMMUNICATION_STORES } from '../src/store-names.js';
import { metadataDocument } from '@parley/schemas';
import { createHarness, facebookChannel, facebookConversation, facebookMessage, type Harness } from '../src/testing.js';

const ADA = 'psid-ada';
const conversationOfAda = facebookConversation(ADA);

describe('Communication > Topology', () => {
  let h: Harness;
  const aggregate = (id = conversationOfAda) => h.driver.getKeyValueStore<string, ConversationAggregate>(COMMUNICATION_STORES.conversations).get(id);
  const storedMessage = (id: string) => h.driver.getKeyValueStore<string, Message>(COMMUNICATION_STORES.messages).get(id);
  const document = (subject: string) =>
    metadataDocument(toMetadataState(h.driver.getKeyValueStore<string, MetadataChange[]>(COMMUNICATION_STORES.metadata).get(subject)));
  const orderedIds = async (conversation = conversationOfAda) => {
    const ids: string[] = [];
    const store = h.driver.getKeyValueStore<string, Message>(COMMUNICATION_STORES.conversationMessages);
    for await (const { value } of store.range(conversationKeyRange(conversation))) ids.push(value.id);
    return ids;
  };

  beforeEach(async () => {
    h = await createHarness();
    await h.channel(facebookChannel());
  });
  afterEach(() => h.close());

  describe('messages', () => {
    it('keeps the latest version of each message by id', async () => {
      const pending = facebookMessage({ psid: ADA, mid: 'm_1', sentAt: 1000, senderType: 'USER' });
      await h.message(pending);
      await h.message({ ...pending, deliveryState: 'DELIVERED', updatedAt: 1500 });
      expect(storedMessage(pending.id)?.deliveryState).to.equal('DELIVERED');
      expect(aggregate()?.lastMessage?.deliveryState).to.equal('DELIVERED');
      expect(aggregate()?.messageCount).to.equal(1);
    });

    it('forgets a message on a tombstone, in the by-id table and in its conversation', async () => {
      const first = facebookMessage({ psid: ADA, mid: 'm_1', sentAt: 1000 });
      const second = facebookMessage({ psid: ADA, mid: 'm_2', sentAt: 2000 });
      await h.message(first);
      await h.message(second);
      await h.deleteMessage(second.id, 3000);
      expect(storedMessage(second.id)).to.equal(undefined);
      expect(await orderedIds()).to.deep.equal([first.id]);
      expect(aggregate()).to.include({ messageCount: 1, unreadCount: 1 });
      expect(aggregate()?.lastMessage?.id).to.equal(first.id);
    });
  });

  describe('conversations', () => {
    it('takes created_at from the earliest message and last_message from the greatest sent_at, in any arrival order', async () => {
      const messages = [3000, 1000, 2000].map((sentAt) => facebookMessage({ psid: ADA, mid: `m_${sentAt}`, sentAt }));
      for (const m of messages) await h.message(m);
      expect(aggregate()?.createdAt).to.equal(1000);
      expect(aggregate()?.lastMessage?.id).to.equal(messages[0]!.id);
      expect(aggregate()).to.include({ channelId: facebookChannel().id, source: 'facebook', messageCount: 3 });
    });

    it('breaks a sent_at tie for the last message by message id', async () => {
      const a = facebookMessage({ psid: ADA, mid: 'm_a', sentAt: 5000 });
      const b = facebookMessage({ psid: ADA, mid: 'm_b', sentAt: 5000 });
      const [low, high] = a.id < b.id ? [a, b] : [b, a];
      await h.message(high);
      await h.message(low);
      expect(aggregate()?.lastMessage?.id).to.equal(high.id);
    });

    it('refreshes last_message when the last message is updated, and not for an older one', async () => {
      const older = facebookMessage({ psid: ADA, mid: 'm_1', sentAt: 1000, senderType: 'USER' });
      const last = facebookMessage({ psid: ADA, mid: 'm_2', sentAt: 2000, senderType: 'USER' });
      await h.message(older);
      await h.message(last);
      await h.message({ ...older, deliveryState: 'FAILED', updatedAt: 2500 });
      expect(aggregate()?.lastMessage).to.deep.include({ id: last.id, deliveryState: 'PENDING' });
      await h.message({ ...last, deliveryState: 'DELIVERED', updatedAt: 2600 });
      expect(aggregate()?.lastMessage).to.deep.include({ id: last.id, deliveryState: 'DELIVERED' });
    });

    it('takes source_conversation_id from the sender of the latest contact message, not from replies', async () => {
      await h.message({ ...facebookMessage({ psid: ADA, mid: 'm_1', sentAt: 1000 }), senderId: 'old-psid' });
      await h.message(facebookMessage({ psid: ADA, mid: 'm_2', sentAt: 2000 }));
      await h.message({ ...facebookMessage({ psid: ADA, mid: 'm_0', sentAt: 500 }), senderId: 'older-psid' });
      await h.message(facebookMessage({ psid: ADA, mid: 'm_3', sentAt: 3000, senderType: 'USER' }));
      expect(aggregate()?.latestContact?.senderId).to.equal(ADA);
    });

    it('finds the last message and the earliest time again when the last is deleted or moved earlier', async () => {
      const m1 = facebookMessage({ psid: ADA, mid: 'm_1', sentAt: 1000 });
      const m2 = facebookMessage({ psid: ADA, mid: 'm_2', sentAt: 2000 });
      const m3 = facebookMessage({ psid: ADA, mid: 'm_3', sentAt: 3000 });
      for (const m of [m1, m2, m3]) await h.message(m);
      await h.message({ ...m3, sentAt: 500, updatedAt: 4000 });
      expect(aggregate()?.lastMessage?.id).to.equal(m2.id);
      expect(aggregate()?.createdAt).to.equal(500);
      await h.deleteMessage(m3.id, 5000);
      expect(aggregate()?.createdAt).to.equal(1000);
      await h.deleteMessage(m2.id, 5000);
      await h.deleteMessage(m1.id, 5000);
      expect(aggregate()).to.include({ messageCount: 0, lastMessage: null, createdAt: null });
    });
  });

  describe('messages per conversation', () => {
    it('keeps messages with equal sent_at apart, ordered by id', async () => {
      const same = ['m_x', 'm_y', 'm_z'].map((mid) => facebookMessage({ psid: ADA, mid, sentAt: 7000 }));
      const earlier = facebookMessage({ psid: ADA, mid: 'm_early', sentAt: 6000 });
      for (const m of [...same, earlier]) await h.message(m);
      expect(await orderedIds()).to.deep.equal([earlier.id, ...same.map((m) => m.id).sort()]);
    });

    it('moves a message whose sent_at is corrected instead of listing it twice', async () => {
      const m1 = facebookMessage({ psid: ADA, mid: 'm_1', sentAt: 1000 });
      const m2 = facebookMessage({ psid: ADA, mid: 'm_2', sentAt: 2000 });
      await h.message(m1);
      await h.message(m2);
      await h.message({ ...m1, sentAt: 3000, updatedAt: 3000 });
      expect(await orderedIds()).to.deep.equal([m2.id, m1.id]);
      expect(aggregate()?.messageCount).to.equal(2);
    });
  });

  describe('metadata', () => {
    const subject = metadataSubject('conversation', conversationOfAda);

    it('merges by timestamp whatever the arrival order, into the subject and the conversation', async () => {
      await h.message(facebookMessage({ psid: ADA, mid: 'm_1', sentAt: 1000 }));
      await h.metadata(subject, 'state', 'CLOSED', 2000);
      await h.metadata(subject, 'state', 'OPEN', 1500);
      await h.metadata(subject, 'contact.display_name', 'Ada Lovelace', 1200);
      expect(document(subject)).to.deep.equal({ state: 'CLOSED', contact: { display_name: 'Ada Lovelace' } });
      expect(aggregate()?.metadata).to.deep.equal({ state: 'CLOSED', contact: { display_name: 'Ada Lovelace' } });
    });

    it('deletes on a tombstone, and an older write arriving later does not bring the attribute back', async () => {
      await h.metadata(subject, 'tags.t1', '', 1000);
      await h.deleteMetadata(subject, 'tags.t1', 3000);
      expect(document(subject)).to.deep.equal({});
      await h.metadata(subject, 'tags.t1', '', 2000);
      expect(document(subject)).to.deep.equal({});
      await h.metadata(subject, 'tags.t1', '', 4000);
      expect(document(subject)).to.deep.equal({ tags: { t1: '' } });
    });

    it('keeps metadata of messages and channels under their own subjects', async () => {
      const message = facebookMessage({ psid: ADA, mid: 'm_1', sentAt: 1000 });
      await h.metadata(metadataSubject('message', message.id), 'reaction.emoji', '❤️', 1000);
      await h.metadata(metadataSubject('channel', facebookChannel().id), 'name', 'Support page', 1000);
      expect(document(metadataSubject('message', message.id))).to.deep.equal({ reaction: { emoji: '❤️' } });
      expect(document(metadataSubject('channel', facebookChannel().id))).to.deep.equal({ name: 'Support page' });
    });

    it('converges to the latest write per key for any arrival order of writes and deletes', async () => {
      const keys = ['state', 'contact.display_name', 'user_data.erp.id', 'user_data.tier'] as const;
      // Distinct timestamps (time * 100 + position) in any order: writers' clocks disagree.
      const op = fc.record({
        key: fc.constantFrom(...keys),
        del: fc.boolean(),
        value: fc.string({ maxLength: 4 }),
        time: fc.nat({ max: 50 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
          const local = await createHarness();
          try {
            const times = ops.map((o, i) => o.time * 100 + i);
            const live = new Set<string>();
            const winner = new Map<string, { t: number; value: string | null }>();
            for (const [i, o] of ops.entries()) {
              const t = times[i]!;
              if (o.del) {
                await local.deleteMetadata(subject, o.key, t);
                // A tombstone for a key never written (since its last deletion) names nothing.
                if (!live.has(o.key)) continue;
                live.delete(o.key);
              } else {
                await local.metadata(subject, o.key, o.value, t);
                live.add(o.key);
              }
              const current = winner.get(o.key);
              if (current === undefined || t > current.t) winner.set(o.key, { t, value: o.del ? null : o.value });
            }
            const expected: Record<string, unknown> = {};
            for (const [key, { value }] of winner) {
              if (value === null) continue;
              const path = key.split('.');
              let node = expected;
              for (const segment of path.slice(0, -1)) node = (node[segment] ??= {}) as Record<string, unknown>;
              node[path[path.length - 1]!] = value;
            }
            const actual = metadataDocument(
              toMetadataState(local.driver.getKeyValueStore<string, MetadataChange[]>(COMMUNICATION_STORES.metadata).get(subject)),
            );
            expect(actual).to.deep.equal(expected);
          } finally {
            await local.close();
          }
        }),
        { numRuns: 40 },
      );
    });
  });

  describe('unread counts', () => {
    const contact = (mid: string, sentAt: number) => facebookMessage({ psid: ADA, mid, sentAt });

    it('counts the contact messages sent after the latest read receipt', async () => {
      await h.message(contact('m_1', 1000));
      await h.message(contact('m_2', 2000));
      await h.message(facebookMessage({ psid: ADA, mid: 'm_r', sentAt: 2500, senderType: 'USER' }));
      expect(aggregate()?.unreadCount).to.equal(2);
      await h.readReceipt(conversationOfAda, 1000);
      expect(aggregate()?.unreadCount).to.equal(1);
      await h.message(contact('m_3', 3000));
      expect(aggregate()?.unreadCount).to.equal(2);
      await h.readReceipt(conversationOfAda, 3000);
      expect(aggregate()).to.include({ unreadCount: 0, readAt: 3000 });
    });

    it('ignores older and replayed receipts, replayed messages and updates', async () => {
      const m1 = contact('m_1', 1000);
      const m2 = contact('m_2', 2000);
      await h.message(m1);
      await h.message(m2);
      await h.readReceipt(conversationOfAda, 1500);
      await h.readReceipt(conversationOfAda, 1500);
      await h.readReceipt(conversationOfAda, 500);
      await h.message(m2);
      await h.message({ ...m2, updatedAt: 2100 });
      await h.message(m1);
      expect(aggregate()).to.include({ unreadCount: 1, readAt: 1500 });
    });

    it('marks each message a receipt covers with user_read = the read time', async () => {
      const m1 = contact('m_1', 1000);
      const m2 = contact('m_2', 2000);
      await h.message(m1);
      await h.message(m2);
      await h.readReceipt(conversationOfAda, 2500);
      expect(document(metadataSubject('message', m1.id))).to.deep.equal({ user_read: 2500 });
      expect(document(metadataSubject('message', m2.id))).to.deep.equal({ user_read: 2500 });
    });

    it('counts a contact message that arrives after a receipt covering it as read', async () => {
      await h.message(contact('m_2', 2000));
      await h.readReceipt(conversationOfAda, 2500);
      const late = contact('m_1', 1000);
      await h.message(late);
      expect(aggregate()?.unreadCount).to.equal(0);
      expect(document(metadataSubject('message', late.id))).to.deep.equal({ user_read: 2500 });
    });

    it('stays exact when a crash makes the topology process input again', async () => {
      const local = await createHarness({ autoCommit: false });
      try {
        await local.channel(facebookChannel());
        await local.message(contact('m_1', 1000));
        local.driver.commit();
        await local.message(contact('m_2', 2000));
        await local.readReceipt(conversationOfAda, 1500);
        await local.message(contact('m_3', 3000));
        await local.driver.crash({ phase: 'after-flush' });
        const after = local.driver.getKeyValueStore<string, ConversationAggregate>(COMMUNICATION_STORES.conversations).get(conversationOfAda);
        expect(after).to.include({ unreadCount: 2, messageCount: 3, readAt: 1500 });
      } finally {
        await local.close();
      }
    });
  });

  describe('partitions', () => {
    it('derives the same conversations over three partitions, metadata and receipts meeting their messages', async () => {
      const local = await createHarness({ partitions: 3 });
      try {
        await local.channel(facebookChannel());
        const psids = ['psid-1', 'psid-2', 'psid-3', 'psid-4', 'psid-5', 'psid-6'];
        for (const [i, psid] of psids.entries()) {
          await local.message(facebookMessage({ psid, mid: `m-${i}-a`, sentAt: 1000 + i }));
          await local.message(facebookMessage({ psid, mid: `m-${i}-b`, sentAt: 2000 + i }));
          await local.metadata(metadataSubject('conversation', facebookConversation(psid)), 'state', i % 2 === 0 ? 'OPEN' : 'CLOSED', 10);
        }
        await local.readReceipt(facebookConversation('psid-2'), 1500);
        const conversations = local.driver.getKeyValueStore<string, ConversationAggregate>(COMMUNICATION_STORES.conversations);
        for (const [i, psid] of psids.entries()) {
          const stored = conversations.get(facebookConversation(psid));
          expect(stored).to.include({ messageCount: 2, unreadCount: psid === 'psid-2' ? 1 : 2, createdAt: 1000 + i });
          expect(stored?.metadata).to.deep.equal({ state: i % 2 === 0 ? 'OPEN' : 'CLOSED' });
        }
        expect(local.readModel.listConversations({ filters: { state: 'CLOSED' } }).pagination_data.total).to.equal(3);
      } finally {
        await local.close();
      }
    });
  });

  describe('shape', () => {
    it('names every node and store, so its description is the same on every build', () => {
      const listener = { conversationChanged: () => undefined, channelChanged: () => undefined };
      const first = buildCommunicationTopology().describe().toString();
      expect(buildCommunicationTopology().describe().toString()).to.equal(first);
      const withListener = buildCommunicationTopology({ listener }).describe().toString();
      expect(buildCommunicationTopology({ listener }).describe().toString()).to.equal(withListener);
      expect(first).to.not.match(/KSTREAM-|KTABLE-/);
      expect(withListener).to.not.match(/KSTREAM-|KTABLE-/);
      const storeLists = [...first.matchAll(/stores: \[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(', ').filter((s) => s.length > 0));
      expect(storeLists.sort()).to.deep.equal(Object.values(COMMUNICATION_STORES).sort());
    });
  });
});
