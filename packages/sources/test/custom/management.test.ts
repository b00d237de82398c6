import { expect } from 'chai';
import fc from 'fast-check';
import { channelId, COMMUNICATION_TOPICS } from '@parley/schemas';
import type { EmbeddedLog } from '@parley/streams/embedded';
import { modelSerdes } from '@parley/communication';
import { assertNewSourceId, BUILT_IN_SOURCE_NAMES, CustomSourceManager, isSourcesError } from '../../src/index.js';
import { managerOn, openTempLog } from '../helpers.js';

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    if (isSourcesError(err)) return err.code;
    throw err;
  }
  return undefined;
}

describe('Custom > Management', () => {
  let log: EmbeddedLog;
  let cleanup: () => Promise<void>;
  let manager: CustomSourceManager;

  beforeEach(async () => {
    ({ log, cleanup } = await openTempLog('management'));
    manager = await managerOn(log, () => 1_700_000_000_000);
  });
  afterEach(() => cleanup());

  it('creates a source, returns its token once and stores only a hash of it', async () => {
    const created = await manager.create({ id: 'acme-chat', name: 'Acme', actionEndpoint: 'https://acme.example/actions' });
    expect(created.token).to.match(/^psrc\.acme-chat\.[A-Za-z0-9_-]{43}$/);
    expect(created.signingSecret).to.match(/^whsec_/);
    expect(created.source).to.deep.equal({ id: 'acme-chat', name: 'Acme', imageUrl: null, actionEndpoint: 'https://acme.example/actions', idScheme: 'PARLEY', createdAt: 1_700_000_000_000 });
    const stored = await log.read({ topic: COMMUNICATION_TOPICS.sources.name, partition: 0 }, 0);
    const source = modelSerdes().source.deserialize(stored[0]!.value!);
    expect(source.token).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(stored[0]!.value!.includes(Buffer.from(created.token.split('.')[2]!))).to.equal(false);
    expect(await manager.list()).to.deep.equal([created.source]);
    expect(Object.keys((await manager.list())[0]!)).to.not.include('token');
  });

  it('refuses a duplicate id, a malformed id and ids that begin with another source name', async () => {
    await manager.create({ id: 'acme' });
    expect(await codeOf(manager.create({ id: 'acme' }))).to.equal('SOURCES_SOURCE_EXISTS');
    for (const id of ['Acme', '9lives', 'a', 'has.dot', 'facebook', 'facebook-2', 'face', 'twilio', 'acme-two', 'ac', 'custom']) {
      expect(await codeOf(manager.create({ id })), id).to.equal('SOURCES_SOURCE_ID_INVALID');
    }
  });

  it('accepts exactly the ids whose channel ids cannot collide with another source', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{1,20}$/), (id) => {
        const prefixed = [...BUILT_IN_SOURCE_NAMES, 'custom', 'parley', 'system'].some((n) => n.startsWith(id) || id.startsWith(n));
        let refused = false;
        try {
          assertNewSourceId(id, []);
        } catch (err) {
          refused = isSourcesError(err, 'SOURCES_SOURCE_ID_INVALID');
        }
        expect(refused).to.equal(prefixed);
      }),
    );
  });

  it('updates fields, keeping those not given and clearing those given as null', async () => {
    await manager.create({ id: 'acme', name: 'Acme', imageUrl: 'https://i/x.png', actionEndpoint: 'http://localhost:1/a' });
    const updated = await manager.update({ id: 'acme', name: 'Acme Inc', imageUrl: null });
    expect(updated).to.include({ name: 'Acme Inc', imageUrl: null, actionEndpoint: 'http://localhost:1/a' });
    expect(await codeOf(manager.update({ id: 'nope' }))).to.equal('SOURCES_SOURCE_NOT_FOUND');
    expect(await codeOf(manager.update({ id: 'acme', actionEndpoint: 'ftp://x' }))).to.equal('SOURCES_INVALID_PAYLOAD');
  });

  it('creates channels with deterministic ids and disconnects them idempotently', async () => {
    await manager.create({ id: 'acme' });
    const channel = await manager.createChannel({ sourceId: 'acme', sourceChannelId: 'account-1', name: 'Support' });
    expect(channel).to.deep.equal({ id: channelId('acme', 'account-1'), source: 'acme', sourceChannelId: 'account-1', token: null, connectionState: 'CONNECTED' });
    expect((await manager.createChannel({ sourceId: 'acme', sourceChannelId: 'account-1' })).id).to.equal(channel.id);
    const metadata = await log.read({ topic: COMMUNICATION_TOPICS.metadata.name, partition: 0 }, 0);
    expect(metadata.map((r) => modelSerdes().metadata.deserialize(r.value!)).map((m) => [m.subject, m.key, m.value])).to.deep.equal([[`channel:${channel.id}`, 'name', 'Support']]);
    expect((await manager.disconnectChannel({ sourceId: 'acme', channelId: channel.id })).connectionState).to.equal('DISCONNECTED');
    expect((await manager.disconnectChannel({ sourceId: 'acme', channelId: channel.id })).connectionState).to.equal('DISCONNECTED');
    expect(await codeOf(manager.createChannel({ sourceId: 'nope', sourceChannelId: 'x' }))).to.equal('SOURCES_SOURCE_NOT_FOUND');
    expect(await codeOf(manager.disconnectChannel({ sourceId: 'acme', channelId: channelId('acme', 'other') }))).to.equal('SOURCES_CHANNEL_NOT_FOUND');
  });

  it("deletes a source: its channels are disconnected and its token stops working", async () => {
    const { token } = await manager.create({ id: 'acme' });
    const channel = await manager.createChannel({ sourceId: 'acme', sourceChannelId: 'account-1' });
    expect((await manager.authenticate(token)).id).to.equal('acme');
    await manager.delete('acme');
    expect(await manager.list()).to.deep.equal([]);
    expect(manager.catalog.channel(channel.id)?.connectionState).to.equal('DISCONNECTED');
    expect(await codeOf(manager.authenticate(token))).to.equal('SOURCES_TOKEN_INVALID');
    expect(await codeOf(manager.delete('acme'))).to.equal('SOURCES_SOURCE_NOT_FOUND');
  });

  it('serialises concurrent creates of one id: exactly one wins', async () => {
    const results = await Promise.allSettled([manager.create({ id: 'race' }), manager.create({ id: 'race' }), manager.create({ id: 'race' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as { code: string }).code)).to.deep.equal(['SOURCES_SOURCE_EXISTS', 'SOURCES_SOURCE_EXISTS']);
  });

  it('accepts a token revoked by another process for at most authMaxStalenessMs, and a token created there at once', async () => {
    let now = 1_700_000_000_000;
    const gateway = new CustomSourceManager({ log, clock: () => now, authMaxStalenessMs: 1000 });
    const { token } = await manager.create({ id: 'acme' });
    expect((await gateway.authenticate(token)).id, 'a source created elsewhere is found on a miss').to.equal('acme');

    await manager.delete('acme');
    now += 999;
    expect((await gateway.authenticate(token)).id, 'still within the staleness bound').to.equal('acme');
    now += 1;
    const refused = await gateway.authenticate(token).catch((err: unknown) => err);
    expect(isSourcesError(refused) && refused.code).to.equal('SOURCES_TOKEN_INVALID');
  });

  it('sees sources written by another manager on the same log after a refresh', async () => {
    await manager.create({ id: 'acme' });
    const other = await managerOn(log);
    expect((await other.list()).map((s) => s.id)).to.deep.equal(['acme']);
  });
});
