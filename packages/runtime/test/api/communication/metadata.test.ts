import { expect } from 'chai';
import { FACEBOOK_CHANNEL, facebookChannel, facebookConversation, facebookMessage } from '@parley/communication/testing';
import { forEachBackend } from '../../helpers.js';
import { expectError, startPlatform, type TestPlatform } from './platform-fixture.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

forEachBackend('Api > Communication > Metadata', function (backend) {
  this.timeout(30_000);
  let p: TestPlatform;
  const ada = facebookConversation('psid-ada');
  const message = facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: Date.now() - 1000 });

  before(async () => {
    p = await startPlatform({}, { log: backend.freshLog() });
    await p.seed({ channels: [facebookChannel()], messages: [message] });
  });
  after(() => p.stop());

  it('writes each leaf under user_data (204), readable and filterable in the very next call', async () => {
    const res = await p.post('metadata.upsert', { subject: 'conversation', id: ada, data: { erp: { id: 'A-17', vip: true }, score: 4 } });
    expect(res.status, res.text).to.equal(204);
    const info = await p.post('conversations.info', { conversation_id: ada });
    expect(info.json.metadata.user_data).to.deep.equal({ erp: { id: 'A-17', vip: true }, score: 4 });
    const found = await p.post('conversations.list', { filters: { metadata: { 'user_data.erp.id': 'A-17', 'user_data.score': '4' } } });
    expect(found.json.data.map((c: { id: string }) => c.id)).to.deep.equal([ada]);
  });

  it('leaves the attributes it is not given alone', async () => {
    expect((await p.post('metadata.upsert', { subject: 'conversation', id: ada, data: { erp: { id: 'A-18' } } })).status).to.equal(204);
    const info = await p.post('conversations.info', { conversation_id: ada });
    expect(info.json.metadata.user_data).to.deep.equal({ erp: { id: 'A-18', vip: true }, score: 4 });
  });

  it('writes message, channel and contact metadata', async () => {
    expect((await p.post('metadata.upsert', { subject: 'message', id: message.id, data: { sentiment: 'angry' } })).status).to.equal(204);
    const messages = await p.post('messages.list', { conversation_id: ada });
    expect(messages.json.data[0].metadata.user_data).to.deep.equal({ sentiment: 'angry' });
    expect((await p.post('metadata.upsert', { subject: 'channel', id: FACEBOOK_CHANNEL, data: { team: 'support' } })).status).to.equal(204);
    expect((await p.post('channels.info', { channel_id: FACEBOOK_CHANNEL })).json.metadata.user_data).to.deep.equal({ team: 'support' });
    const contact = (await p.post('contacts.info', { conversation_id: ada })).json.id;
    expect((await p.post('metadata.upsert', { subject: 'contact', id: contact, data: { crm: 'x' } })).status).to.equal(204);
    expect((await p.post('contacts.info', { id: contact })).json.metadata).to.deep.equal({ crm: 'x' });
  });

  it('answers 404 for an unknown conversation, message, channel or contact', async () => {
    for (const subject of ['conversation', 'message', 'channel', 'contact']) {
      expectError(await p.post('metadata.upsert', { subject, id: UNKNOWN, data: { a: 1 } }), 404, 'RUNTIME_NOT_FOUND');
    }
  });

  it('answers 400 for an unknown subject, a malformed id, and data that is not an object or has bad keys', async () => {
    const bad = [
      { subject: 'user', id: ada, data: { a: 1 } },
      { subject: 'conversation', id: 'abc', data: { a: 1 } },
      { subject: 'conversation', id: ada, data: 'text' },
      { subject: 'conversation', id: ada, data: [1, 2] },
      { subject: 'conversation', id: ada, data: {} },
      { subject: 'conversation', id: ada, data: { 'a.b': 1 } },
      { subject: 'conversation', id: ada, data: { '': 1 } },
      { subject: 'conversation', id: ada },
      { id: ada, data: { a: 1 } },
    ];
    for (const body of bad) expectError(await p.post('metadata.upsert', body), 400, 'RUNTIME_INVALID_REQUEST');
  });
});
