import { expect } from 'chai';
import { describeIfKafka, eventually } from '../helpers.js';
import { call, kill, sharedConfig, startInstance, type Instance } from './instances.js';

/** Every message of a conversation, over all pages. */
async function listAll(url: string, token: string, conversationId: string): Promise<string[] | undefined> {
  const ids: string[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await call(url, 'messages.list', token, { conversation_id: conversationId, page_size: 100, ...(cursor ? { cursor } : {}) });
    if (page.status !== 200) return undefined;
    ids.push(...page.body.data.map((m: { id: string }) => m.id));
    cursor = page.body.pagination_data.next_cursor;
  } while (cursor);
  return ids;
}

/**
 * The multi-instance fault suite (docs/scaling.md): three instances on the real broker under
 * ingest and reads; one is SIGKILLed. Bounded: the load stops at a count, each wait has a deadline.
 */
describeIfKafka('Runtime > many instances on Kafka > faults', function () {
  this.timeout(300_000);

  it('SIGKILL of one of three under load: only its requests fail, every acknowledged message is listed exactly once', async () => {
    const config = sharedConfig();
    const token = (config.auth as { systemToken: string }).systemToken;
    const instances: Instance[] = [];
    try {
      for (let i = 0; i < 3; i += 1) instances.push(await startInstance(config));
      const [victim, ...survivors] = instances as [Instance, Instance, Instance];
      const created = await call(survivors[0].url, 'sources.create', token, { id: 'fault-shop' });
      expect(created.status).to.be.oneOf([200, 201]);
      const sourceToken: string = created.body.token;
      expect((await call(survivors[0].url, 'sources.channels.create', token, { source_id: 'fault-shop', source_channel_id: 'web' })).status).to.be.oneOf([200, 201]);

      // One writer per instance, plus a reader on each survivor, until the kill and a little after.
      const acknowledged = new Map<string, string>();
      const failures = new Map<Instance, number>(instances.map((i) => [i, 0]));
      let sequence = 0;
      let killed = false;
      let afterKill = 0;
      const done = () => killed && afterKill >= 60;
      const writer = async (instance: Instance) => {
        while (!done()) {
          const n = sequence++;
          const message = { source_message_id: `m-${n}`, source_conversation_id: `contact-${n % 6}`, source_channel_id: 'web', sent_at: 1_700_000_000_000 + n, content: { text: `message ${n}` }, from_contact: true };
          try {
            const res = await call(instance.url, 'sources.webhook', sourceToken, { messages: [message] });
            if (res.status !== 200) throw new Error(`status ${res.status}`);
            acknowledged.set(res.body.messages[0].message_id, res.body.messages[0].conversation_id);
            if (killed && instance !== victim) afterKill += 1;
          } catch {
            failures.set(instance, failures.get(instance)! + 1);
            if (instance === victim) return; // the victim is gone: its writer stops
          }
        }
      };
      const reader = async (instance: Instance) => {
        while (!done()) {
          const res = await call(instance.url, 'conversations.list', token, { page_size: 10 }).catch(() => ({ status: 0 }));
          if (res.status !== 200) failures.set(instance, failures.get(instance)! + 1);
        }
      };
      const load = [...instances.map(writer), ...survivors.map(reader)];
      while (acknowledged.size < 150) await new Promise((resolve) => setTimeout(resolve, 20));
      await kill(victim);
      killed = true;
      await Promise.all(load);
      // The survivors kept answering: none of their requests failed.
      expect(survivors.map((s) => failures.get(s))).to.deep.equal([0, 0]);

      // Once the group has moved the victim's partitions (session timeout), everything is processed.
      const byConversation = new Map<string, string[]>();
      for (const [messageId, conversationId] of acknowledged) byConversation.set(conversationId, [...(byConversation.get(conversationId) ?? []), messageId]);
      const deadline = Date.now() + 120_000;
      for (const [conversationId, expected] of byConversation) {
        let listed: string[] = [];
        for (;;) {
          listed = (await listAll(survivors[1].url, token, conversationId)) ?? [];
          if (expected.every((id) => listed.includes(id)) || Date.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        expect(expected.filter((id) => !listed.includes(id)), `missing in ${conversationId}`).to.deep.equal([]);
        expect(new Set(listed).size, `duplicates in ${conversationId}`).to.equal(listed.length);
      }
      // No application of a survivor failed on the way (a rebalance is recovered from, not fatal).
      for (const survivor of survivors) await eventually(async () => (await fetch(`${survivor.url}/health`)).status === 200, 60_000);
      // Both survivors answer the same.
      for (const conversationId of byConversation.keys()) {
        expect(await listAll(survivors[0].url, token, conversationId)).to.deep.equal(await listAll(survivors[1].url, token, conversationId));
      }
    } finally {
      await Promise.all(instances.map(kill));
    }
  });
});
