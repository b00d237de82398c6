import { expect } from 'chai';
import { channelId } from '@parley/schemas';
import { FACEBOOK_CHANNEL, SMS_CHANNEL, facebookChannel, smsChannel } from '@parley/communication/testing';
import { forEachBackend } from '../../helpers.js';
import { expectError, startPlatform, type TestPlatform } from './platform-fixture.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const OFFLINE_CHANNEL = channelId('facebook', '999000999');

forEachBackend('Api > Communication > Channels, tags and templates', function (backend) {
  this.timeout(30_000);
  let p: TestPlatform;

  before(async () => {
    p = await startPlatform({}, { log: backend.freshLog() });
    await p.seed({ channels: [facebookChannel(), smsChannel(), facebookChannel({ id: OFFLINE_CHANNEL, sourceChannelId: '999000999', connectionState: 'DISCONNECTED' })] });
  });
  after(() => p.stop());

  const ids = (res: { json: any }) => res.json.data.map((c: { id: string }) => c.id);

  describe('channels', () => {
    it('lists every channel by source then id, filtered by source and connection, never with a token', async () => {
      const all = await p.post('channels.list', {});
      expect(all.status, all.text).to.equal(200);
      expect(ids(all)).to.deep.equal([...[FACEBOOK_CHANNEL, OFFLINE_CHANNEL].sort(), SMS_CHANNEL]);
      expect(all.json.data.every((c: object) => !('token' in c))).to.equal(true);
      expect(ids(await p.post('channels.list', { connected: true, source: 'facebook' }))).to.deep.equal([FACEBOOK_CHANNEL]);
      expect(ids(await p.post('channels.list', { connected: false }))).to.deep.equal([OFFLINE_CHANNEL]);
      expectError(await p.post('channels.list', { connected: 'yes' }), 400, 'RUNTIME_INVALID_REQUEST');
    });

    it('answers one channel, 404 unknown, 400 malformed', async () => {
      const res = await p.post('channels.info', { channel_id: SMS_CHANNEL });
      expect(res.json).to.include({ id: SMS_CHANNEL, source: 'twilio.sms', source_channel_id: '+4915112345678', connected: true });
      expectError(await p.post('channels.info', { channel_id: UNKNOWN }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('channels.info', {}), 400, 'RUNTIME_INVALID_REQUEST');
    });

    it('update sets name and image_url and answers the updated channel', async () => {
      const res = await p.post('channels.update', { channel_id: FACEBOOK_CHANNEL, name: 'Support page', image_url: 'https://example.com/p.png' });
      expect(res.status, res.text).to.equal(200);
      expect(res.json.metadata).to.include({ name: 'Support page', image_url: 'https://example.com/p.png' });
      expect((await p.post('channels.info', { channel_id: FACEBOOK_CHANNEL })).json.metadata.name).to.equal('Support page');
      expectError(await p.post('channels.update', { channel_id: UNKNOWN, name: 'x' }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('channels.update', { channel_id: FACEBOOK_CHANNEL, image_url: 'not a url' }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('channels.update', { channel_id: FACEBOOK_CHANNEL, name: '' }), 400, 'RUNTIME_INVALID_REQUEST');
    });
  });

  describe('tags', () => {
    it('create (201), list, update (204), delete (204), each seen by the next call', async () => {
      const created = await p.post('tags.create', { name: 'Urgent', color: 'tag-red' });
      expect(created.status, created.text).to.equal(201);
      expect(created.json).to.include({ name: 'Urgent', color: 'tag-red' });
      const other = await p.post('tags.create', { name: 'Billing', color: 'tag-green' });
      expect((await p.post('tags.list', {})).json.data.map((t: { name: string }) => t.name)).to.include.ordered.members(['Billing', 'Urgent']);
      expect((await p.post('tags.update', { id: created.json.id, color: 'tag-blue' })).status).to.equal(204);
      const updated = (await p.post('tags.list', {})).json.data.find((t: { id: string }) => t.id === created.json.id);
      expect(updated).to.deep.equal({ id: created.json.id, name: 'Urgent', color: 'tag-blue' });
      expect((await p.post('tags.delete', { id: other.json.id })).status).to.equal(204);
      expect(ids(await p.post('tags.list', {}))).to.not.include(other.json.id);
      expectError(await p.post('tags.delete', { id: other.json.id }), 404, 'RUNTIME_NOT_FOUND');
    });

    it('answers 404 for unknown ids and 400 for bad colors or missing fields', async () => {
      expectError(await p.post('tags.update', { id: UNKNOWN, name: 'x' }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('tags.create', { name: 'x', color: 'red' }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('tags.create', { color: 'tag-red' }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('tags.create', { name: '', color: 'tag-red' }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('tags.update', { name: 'x' }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('tags.update', { id: UNKNOWN, color: 'tag-pink' }), 400, 'RUNTIME_INVALID_REQUEST');
    });
  });

  describe('templates', () => {
    it('create (201), info, list with filters, update (200), delete (204)', async () => {
      const created = await p.post('templates.create', { name: 'Greeting', source: 'facebook', content: { text: 'Hello!' } });
      expect(created.status, created.text).to.equal(201);
      expect(created.json).to.include({ name: 'Greeting', source: 'facebook' });
      expect(created.json.content).to.deep.equal({ text: 'Hello!' });
      await p.post('templates.create', { name: 'SMS hello', source: 'twilio.sms', content: 'Hello' });
      expect((await p.post('templates.info', { id: created.json.id })).json).to.deep.equal(created.json);
      expect((await p.post('templates.list', { source: 'facebook' })).json.data.map((t: { name: string }) => t.name)).to.deep.equal(['Greeting']);
      expect((await p.post('templates.list', { name: 'HELLO' })).json.data.map((t: { name: string }) => t.name)).to.deep.equal(['SMS hello']);
      expect((await p.post('templates.list', {})).json.data).to.have.length(2);
      const updated = await p.post('templates.update', { id: created.json.id, content: ['a', 'b'] });
      expect(updated.status, updated.text).to.equal(200);
      expect(updated.json).to.deep.equal({ ...created.json, content: ['a', 'b'] });
      expect((await p.post('templates.info', { id: created.json.id })).json.content).to.deep.equal(['a', 'b']);
      expect((await p.post('templates.delete', { id: created.json.id })).status).to.equal(204);
      expectError(await p.post('templates.info', { id: created.json.id }), 404, 'RUNTIME_NOT_FOUND');
    });

    it('answers 404 for unknown ids and 400 for missing or mistyped fields', async () => {
      for (const route of ['templates.info', 'templates.update', 'templates.delete']) expectError(await p.post(route, { id: UNKNOWN }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('templates.create', { name: 'x', source: 'facebook' }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('templates.create', { name: 'x', content: {} }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('templates.create', { name: 5, source: 'facebook', content: {} }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('templates.list', { source: 3 }), 400, 'RUNTIME_INVALID_REQUEST');
      expectError(await p.post('templates.info', { id: 'x' }), 400, 'RUNTIME_INVALID_REQUEST');
    });
  });
});
