import { expect } from 'chai';
import { describeIfKafka, eventually } from '../helpers.js';
import { call, expectListedOnce, kill, listAll, sharedConfig, startInstance, terminate, type Instance } from './instances.js';

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
      const conversations = await expectListedOnce(survivors[1].url, token, acknowledged);
      // No application of a survivor failed on the way (a rebalance is recovered from, not fatal).
      for (const survivor of survivors) await eventually(async () => (await fetch(`${survivor.url}/health`)).status === 200, 60_000);
      // Both survivors answer the same.
      for (const conversationId of conversations) {
        expect(await listAll(survivors[0].url, token, conversationId)).to.deep.equal(await listAll(survivors[1].url, token, conversationId));
      }
    } finally {
      await Promise.all(instances.map(kill));
    }
  });

  it('rolling restart of all three with graceful drain: no request fails, every acknowledged message is listed', async () => {
    // Long enough for the client below to see /ready fail before the listener closes.
    const config = { ...sharedConfig(), http: { drainDelayMs: 3000 } };
    const token = (config.auth as { systemToken: string }).systemToken;
    const instances: Instance[] = [];
    const all: Instance[] = [];
    try {
      for (let i = 0; i < 3; i += 1) instances.push(await startInstance(config));
      all.push(...instances);
      const created = await call(instances[0]!.url, 'sources.create', token, { id: 'rolling-shop' });
      const sourceToken: string = created.body.token;
      expect((await call(instances[0]!.url, 'sources.channels.create', token, { source_id: 'rolling-shop', source_channel_id: 'web' })).status).to.be.oneOf([200, 201]);

      // A client that, like a load balancer, sends each request to the next instance whose /ready answers 200.
      let turn = 0;
      const ready = async (instance: Instance) => (await fetch(`${instance.url}/ready`).then((r) => r.status, () => 0)) === 200;
      const pick = async (): Promise<Instance> => {
        for (;;) {
          const instance = instances[turn++ % instances.length]!;
          if (await ready(instance)) return instance;
        }
      };
      const acknowledged = new Map<string, string>();
      const failed: string[] = [];
      let sequence = 0;
      let rolling = true;
      const client = async () => {
        while (rolling) {
          const n = sequence++;
          const instance = await pick();
          const message = { source_message_id: `r-${n}`, source_conversation_id: `contact-${n % 5}`, source_channel_id: 'web', sent_at: 1_700_000_000_000 + n, content: { text: `rolling ${n}` }, from_contact: true };
          const write = await call(instance.url, 'sources.webhook', sourceToken, { messages: [message] }).catch((err: Error) => ({ status: 0, body: err.message }));
          if (write.status === 200) acknowledged.set(write.body.messages[0].message_id, write.body.messages[0].conversation_id);
          else failed.push(`write ${write.status} ${JSON.stringify(write.body)}`);
          const read = await call((await pick()).url, 'conversations.list', token, { page_size: 5 }).catch((err: Error) => ({ status: 0, body: err.message }));
          if (read.status !== 200) failed.push(`read ${read.status} ${JSON.stringify(read.body)}`);
        }
      };
      const clients = [client(), client()];
      for (let i = 0; i < 3; i += 1) {
        const old = instances[i]!;
        expect(await terminate(old)).to.equal(0);
        const replacement = await startInstance(config);
        all.push(replacement);
        instances[i] = replacement;
      }
      rolling = false;
      await Promise.all(clients);
      expect(failed).to.deep.equal([]);
      expect(acknowledged.size).to.be.greaterThan(0);

      await expectListedOnce(instances[0]!.url, token, acknowledged);
    } finally {
      await Promise.all(all.map(kill));
    }
  });
});
