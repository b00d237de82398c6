import { expect } from 'chai';
import { facebookChannel, facebookMessage } from '@parley/communication/testing';
import { forEachBackend } from '../../helpers.js';
import { expectError, startPlatform, type TestPlatform } from './platform-fixture.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

forEachBackend('Api > Communication > messages.suggest-replies', function (backend) {
  this.timeout(60_000);
  let p: TestPlatform;
  const late = facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: Date.now() - 2000, text: 'Where is my ORDER? It is late!' });
  const other = facebookMessage({ psid: 'psid-bob', mid: 'm_2', sentAt: Date.now() - 1000, text: 'Do you ship to Norway?' });
  const templates: Record<string, string> = {};

  before(async () => {
    p = await startPlatform({}, { log: backend.freshLog() });
    await p.seed({ channels: [facebookChannel()], messages: [late, other] });
    for (const [name, source] of [['Order late', 'facebook'], ['Order', 'facebook'], ['Order late', 'twilio.sms'], ['Shipping', 'facebook']] as const) {
      const res = await p.post('templates.create', { name, source, content: { text: `${name} (${source})` } });
      expect(res.status, res.text).to.equal(201);
      templates[`${name}/${source}`] = res.json.id;
    }
  });
  after(() => p.stop());

  const suggestionIds = (json: any) => Object.keys(json.metadata.suggestions ?? {});

  it("suggests the message's source's templates whose name words all occur in it, most specific first", async () => {
    const res = await p.post('messages.suggest-replies', { message_id: late.id });
    expect(res.status, res.text).to.equal(200);
    expect(res.json.id).to.equal(late.id);
    expect(suggestionIds(res.json).sort()).to.deep.equal([templates['Order late/facebook'], templates['Order/facebook']].sort());
    expect(res.json.metadata.suggestions[templates['Order late/facebook']!].content).to.deep.equal({ text: 'Order late (facebook)' });
    const limited = await p.post('messages.suggest-replies', { message_id: late.id, limit: 1 });
    expect(suggestionIds(limited.json)).to.deep.equal([templates['Order late/facebook']]);
  });

  it('suggests nothing when no template matches, replacing earlier suggestions', async () => {
    expect(suggestionIds((await p.post('messages.suggest-replies', { message_id: other.id, suggestions: { old: { content: 'x' } } })).json)).to.deep.equal(['old']);
    const res = await p.post('messages.suggest-replies', { message_id: other.id });
    expect(res.status, res.text).to.equal(200);
    expect(suggestionIds(res.json)).to.deep.equal([]);
  });

  it("stores the caller's suggestions in Airy's form instead", async () => {
    const res = await p.post('messages.suggest-replies', { message_id: other.id, suggestions: { 'yes-norway': { content: { text: 'Yes, we do!' } } } });
    expect(res.status, res.text).to.equal(200);
    expect(res.json.metadata.suggestions).to.deep.equal({ 'yes-norway': { content: { text: 'Yes, we do!' } } });
    const listed = await p.post('messages.list', { conversation_id: other.conversationId });
    expect(listed.json.data[0].metadata.suggestions).to.have.property('yes-norway');
  });

  it('answers 404 for an unknown message and 400 for bad input', async () => {
    expectError(await p.post('messages.suggest-replies', { message_id: UNKNOWN }), 404, 'RUNTIME_NOT_FOUND');
    expectError(await p.post('messages.suggest-replies', {}), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await p.post('messages.suggest-replies', { message_id: late.id, limit: 0 }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await p.post('messages.suggest-replies', { message_id: late.id, suggestions: { 'a.b': { content: 'x' } } }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await p.post('messages.suggest-replies', { message_id: late.id, suggestions: { a: { text: 'no content' } } }), 400, 'RUNTIME_INVALID_REQUEST');
  });
});
