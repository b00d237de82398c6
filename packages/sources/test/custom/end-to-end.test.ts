import { expect } from 'chai';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { COMMUNICATION_TOPICS, type Message } from '@parley/schemas';
import { StreamsApp, type Log } from '@parley/streams';
import { modelSerdes } from '@parley/communication';
import { customSource, parseCustomPayload, resolveSourceConfig, verifyStandardWebhook, type CustomSourceInstance, type SourceTopology } from '../../src/index.js';
import { fixture, openTempLog } from '../helpers.js';

const serdes = modelSerdes();

async function readAll(log: Log, topic: string) {
  const { partitions } = await log.describeTopic(topic);
  const all = [];
  for (let partition = 0; partition < partitions; partition++) all.push(...(await log.read({ topic, partition }, 0, { maxRecords: 10_000 })));
  return all;
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Custom > End to end (embedded log, StreamsApp)', function () {
  this.timeout(20_000);

  it('ingests a webhook payload into messages and delivers a reply to the signed action endpoint', async () => {
    const { log, dir, cleanup } = await openTempLog('e2e');
    const apps: StreamsApp[] = [];
    const verified: { id: string; conversation: string }[] = [];
    let signingSecret = '';
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const id = verifyStandardWebhook({ headers: req.headers, rawBody, key: Buffer.from(signingSecret.slice('whsec_'.length), 'base64') });
        verified.push({ id, conversation: JSON.parse(rawBody.toString()).data.conversation.source_conversation_id });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"source_message_id":"ext-1"}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const custom: CustomSourceInstance = customSource.create({ config: resolveSourceConfig(customSource, { partitions: 2 }), log });
      await custom.manager.ensureTopics();
      const start = async (t: SourceTopology) => {
        await log.createTopics(t.topics, { ifNotExists: true });
        const app = new StreamsApp(t.build(), { applicationId: t.applicationId, log, stateDir: path.join(dir, 'state'), commitIntervalMs: 50, ...t.appOptions });
        apps.push(app);
        await app.start();
      };
      await start(custom.router);
      await start(custom.connector);

      const created = await custom.manager.create({ id: 'acme', actionEndpoint: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
      signingSecret = created.signingSecret;
      await custom.manager.createChannel({ sourceId: 'acme', sourceChannelId: 'account-1' });
      // What POST /sources.webhook does: the source-token check, then the append of the raw body.
      const rawBody = fixture('inbound-messages.json');
      const source = await custom.manager.authenticate(created.token);
      const accepted = await custom.accept(source, parseCustomPayload(rawBody), rawBody);

      const inbound = await until(async () => {
        const messages = (await readAll(log, COMMUNICATION_TOPICS.messages.name)).map((r) => serdes.message.deserialize(r.value!));
        return messages.length >= 2 ? messages : undefined;
      });
      expect(inbound.map((m) => m.id).sort()).to.deep.equal(accepted.map((a) => a.message_id).sort());

      const reply: Message = {
        id: crypto.randomUUID(), headers: null, senderType: 'USER', senderId: 'user-1', deliveryState: 'PENDING', conversationId: accepted[0]!.conversation_id,
        channelId: accepted[0]!.channel_id, source: 'acme', sourceRecipientId: null, content: '{"text":"on its way"}', sentAt: Date.now(), updatedAt: null,
      };
      await log.append(COMMUNICATION_TOPICS.messages.name, [{ key: Buffer.from(reply.id), value: serdes.message.serialize(reply), timestamp: reply.sentAt }]);
      const delivered = await until(async () =>
        (await readAll(log, COMMUNICATION_TOPICS.messages.name)).map((r) => serdes.message.deserialize(r.value!)).find((m) => m.id === reply.id && m.deliveryState !== 'PENDING'),
      );
      expect(delivered.deliveryState).to.equal('DELIVERED');
      expect(verified).to.deep.equal([{ id: reply.id, conversation: 'contact-42' }]);
    } finally {
      for (const app of apps.reverse()) await app.close();
      await new Promise<void>((r) => receiver.close(() => r()));
      await cleanup();
    }
  });
});
