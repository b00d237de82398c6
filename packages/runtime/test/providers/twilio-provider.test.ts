import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelId } from '@parley/schemas';
import { FakeTwilioApi, formParams, TWILIO_NAMES, twilioSignature, type TwilioKind } from '@parley/sources';
import { createPlatform, type Runtime } from '../../src/index.js';
import { eventually, forEachBackend, tempDir } from '../helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => fs.readFileSync(path.join(here, '..', '..', '..', 'sources', 'test', 'twilio', 'fixtures', name));
const ACCOUNT_SID = 'ACe0f1a2b3c4d5e6f708192a3b4c5d6e7f';
const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
const BUSINESS = '+4915112345678';

const cases: { kind: TwilioKind; inbound: string; contact: string }[] = [
  { kind: 'sms', inbound: 'sms-inbound.txt', contact: '+4917698765432' },
  { kind: 'whatsapp', inbound: 'whatsapp-inbound.txt', contact: 'whatsapp:+4917698765432' },
];

forEachBackend('Providers > Twilio end to end on a started platform', function (backend) {
  this.timeout(60_000);
  let runtime: Runtime;
  let api: FakeTwilioApi;

  afterEach(async () => {
    await runtime?.stop();
    await api?.stop();
  });

  for (const { kind, inbound, contact } of cases) {
    const names = TWILIO_NAMES[kind];
    // Twilio calls the public URL (a proxy in front of the runtime); the runtime listens elsewhere.
    const publicUrl = `https://parley.example/webhooks/${names.provider}`;

    const start = async () => {
      api = await new FakeTwilioApi(ACCOUNT_SID, AUTH_TOKEN).start();
      runtime = createPlatform(
        {
          dataDir: tempDir(`twilio-${kind}`),
          log: backend.freshLog(),
          http: { port: 0 },
          auth: { enabled: false },
          sources: { [names.provider]: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, publicUrl, apiBaseUrl: api.url, delivery: { retryDelaysMs: [20, 20] } } },
        },
        { logging: { level: 'silent' }, communication: { conversationWaitMs: 500 } },
      );
      await runtime.start();
    };
    const post = async (route: string, body: unknown) => {
      const res = await fetch(`${runtime.url}/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, json: text === '' ? undefined : JSON.parse(text) };
    };
    const webhook = (body: Buffer, signedFor = publicUrl) =>
      fetch(`${runtime.url}/webhooks/${names.provider}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(AUTH_TOKEN, signedFor, formParams(body.toString())) },
        body,
      });
    const conversations = async () => (await post('conversations.list', {})).json.data as { id: string; metadata: Record<string, any>; source_conversation_id: string }[];
    const messagesOf = async (conversationId: string) => (await post('messages.list', { conversation_id: conversationId })).json.data as { id: string; delivery_state: string; from_contact: boolean; content: any; metadata: any }[];

    it(`${names.source}: webhook → API once despite a retry; messages.send → fake Twilio → delivered; status callbacks → delivery state; unknown channel → dead letter`, async () => {
      await start();
      const connected = await post(`channels.${names.source}.connect`, { phone_number: BUSINESS, name: 'Support line' });
      expect([connected.status, connected.json]).to.deep.equal([201, { id: channelId(names.source, `${names.addressPrefix}${BUSINESS}`), source: names.source, source_channel_id: `${names.addressPrefix}${BUSINESS}`, connected: true }]);

      // A bad signature is refused and stores nothing; a good one is answered with empty TwiML.
      const forged = await webhook(fixture(inbound), `${publicUrl}x`);
      expect([forged.status, ((await forged.json()) as { code: string }).code]).to.deep.equal([401, 'SOURCES_SIGNATURE_INVALID']);
      for (let i = 0; i < 2; i++) {
        const res = await webhook(fixture(inbound)); // Twilio's retry sends the same body again
        expect([res.status, res.headers.get('content-type')?.split(';')[0], await res.text()]).to.deep.equal([200, 'text/xml', '<Response></Response>']);
      }
      await eventually(async () => (await conversations()).length === 1, 20_000);
      const [conversation] = await conversations();
      expect(conversation!.source_conversation_id).to.equal(contact);
      if (kind === 'whatsapp') await eventually(async () => (await conversations())[0]!.metadata.contact?.display_name === 'Ada Lovelace', 20_000);
      await eventually(async () => (await raw(names.eventsTopic)) === 2, 20_000); // both deliveries stored raw (the forged one not)…
      const stored = await messagesOf(conversation!.id);
      expect(stored.map((m) => m.from_contact)).to.deep.equal([true]); // …and routed to one message

      // Outbound: messages.send → the fake Messages API → DELIVERED with source.id.
      const sent = await post('messages.send', { conversation_id: conversation!.id, message: { Body: 'It ships tomorrow.' } });
      expect([sent.status, sent.json.delivery_state]).to.deep.equal([200, 'pending']);
      await eventually(async () => (await messagesOf(conversation!.id)).find((m) => m.id === sent.json.id)?.delivery_state === 'delivered', 20_000);
      expect(api.messages.map((m) => [m.form.To, m.form.From, m.form.Body])).to.deep.equal([[contact, `${names.addressPrefix}${BUSINESS}`, 'It ships tomorrow.']]);
      const sid = api.messages[0]!.sid;
      await eventually(async () => (await messagesOf(conversation!.id)).find((m) => m.id === sent.json.id)?.metadata.source?.id === sid, 20_000);

      // Status callbacks, posted through the "proxy": read, then a late delivered that must not move it back.
      for (const status of ['read', 'delivered']) expect((await api.sendStatus(sid, status, `${runtime.url}/webhooks/${names.provider}`)).status).to.equal(200);
      await eventually(async () => (await messagesOf(conversation!.id)).find((m) => m.id === sent.json.id)?.metadata.source?.delivery_state === 'read', 20_000);

      // A second reply Twilio reports undelivered → FAILED with the error code.
      const second = await post('messages.send', { conversation_id: conversation!.id, message: { Body: 'Are you there?' } });
      await eventually(() => api.messages.length === 2, 20_000);
      expect((await api.sendStatus(api.messages[1]!.sid, 'undelivered', `${runtime.url}/webhooks/${names.provider}`, '30006')).status).to.equal(200);
      // The FAILED record and its `error` metadata travel on two topics: wait for both.
      await eventually(async () => {
        const failed = (await messagesOf(conversation!.id)).find((m) => m.id === second.json.id);
        return failed?.delivery_state === 'failed' && failed.metadata.error === 'Twilio reported the message undelivered (Twilio error 30006)';
      }, 20_000);
      expect((await messagesOf(conversation!.id)).map((m) => m.from_contact)).to.deep.equal([true, false, false]); // callbacks never became messages

      // A message to a number that is no channel goes to the dead letters.
      const stranger = Buffer.from(fixture(inbound).toString().replace(encodeURIComponent(BUSINESS), encodeURIComponent('+4915199999999')));
      expect((await webhook(stranger)).status).to.equal(200);
      await eventually(async () => (await raw(names.deadLetterTopic)) === 1, 20_000);
    });
  }

  const raw = async (topic: string) => (await runtime.log.read({ topic, partition: 0 }, 0)).length;
});
