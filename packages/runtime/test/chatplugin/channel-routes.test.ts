import { expect } from 'chai';
import { channelId } from '@parley/schemas';
import { expectError } from '../api/communication/platform-fixture.js';
import { startChatPlatform, type ChatPlatform } from './chatplugin-fixture.js';

describe('Chatplugin > Channel routes', function () {
  this.timeout(30_000);
  let p: ChatPlatform;

  before(async () => {
    p = await startChatPlatform();
  });
  after(() => p.stop());

  it('connects a channel: a random source channel id, the id derived from it, name and image as metadata, listed at once', async () => {
    const res = await p.post('channels.chatplugin.connect', { name: 'Website chat', image_url: 'https://acme.example/logo.png' });
    expect(res.status, res.text).to.equal(201);
    expect(res.json).to.deep.include({ source: 'chatplugin', connected: true, metadata: { name: 'Website chat', image_url: 'https://acme.example/logo.png' } });
    expect(res.json.source_channel_id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.json.id).to.equal(channelId('chatplugin', res.json.source_channel_id));
    const second = await p.post('channels.chatplugin.connect', { name: 'Website chat' });
    expect(second.json.id).to.not.equal(res.json.id);
    const listed = await p.post('channels.list', { source: 'chatplugin' });
    expect(listed.json.data.map((c: any) => c.id)).to.include.members([res.json.id, second.json.id]);
    expect((await p.post('channels.info', { channel_id: res.json.id })).json).to.deep.equal(res.json);
  });

  it('updates the name and picture of a chat plugin channel, keeping the rest', async () => {
    const channel = (await p.post('channels.chatplugin.connect', { name: 'Old', image_url: 'https://acme.example/a.png' })).json;
    const res = await p.post('channels.chatplugin.update', { channel_id: channel.id, name: 'New' });
    expect(res.status, res.text).to.equal(200);
    expect(res.json.metadata).to.deep.equal({ name: 'New', image_url: 'https://acme.example/a.png' });
    expect((await p.post('channels.info', { channel_id: channel.id })).json.metadata.name).to.equal('New');
  });

  it('disconnects a channel (204, also a second time): it stays known, not connected', async () => {
    const channel = (await p.post('channels.chatplugin.connect', { name: 'Gone soon' })).json;
    expect((await p.post('channels.chatplugin.disconnect', { channel_id: channel.id })).status).to.equal(204);
    expect((await p.post('channels.chatplugin.disconnect', { channel_id: channel.id })).status).to.equal(204);
    expect((await p.post('channels.info', { channel_id: channel.id })).json.connected).to.equal(false);
    expect((await p.post('channels.chatplugin.update', { channel_id: channel.id, name: 'Archived' })).status).to.equal(200);
  });

  it("answers 404 for an unknown channel and for another source's channel", async () => {
    expect((await p.post('sources.create', { id: 'acme-chat' })).status).to.equal(201);
    const custom = await p.post('sources.channels.create', { source_id: 'acme-chat', source_channel_id: 'account-1' });
    expect(custom.status, custom.text).to.equal(201);
    for (const id of [channelId('chatplugin', 'never'), custom.json.id]) {
      expectError(await p.post('channels.chatplugin.update', { channel_id: id, name: 'x' }), 404, 'RUNTIME_NOT_FOUND');
      expectError(await p.post('channels.chatplugin.disconnect', { channel_id: id }), 404, 'RUNTIME_NOT_FOUND');
    }
    expect((await p.post('channels.info', { channel_id: custom.json.id })).json.connected).to.equal(true);
  });

  it('needs the system token or a user JWT, and valid fields', async () => {
    expectError(await p.post('channels.chatplugin.connect', { name: 'x' }, { token: null }), 401, 'RUNTIME_UNAUTHORIZED');
    const jwt = await p.runtime.signToken({ subject: 'admin', expiresInSeconds: 60 });
    expect((await p.post('channels.chatplugin.connect', { name: 'By a user' }, { token: jwt })).status).to.equal(201);
    expectError(await p.post('channels.chatplugin.connect', { name: '' }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await p.post('channels.chatplugin.connect', { name: 'x', image_url: 'javascript:alert(1)' }), 400, 'RUNTIME_INVALID_REQUEST');
    expectError(await p.post('channels.chatplugin.disconnect', { channel_id: 'not-an-id' }), 400, 'RUNTIME_INVALID_REQUEST');
  });
});
