import { expect } from 'chai';
import { copyTopology, eventually, produce, startRuntime, type TestRuntime } from '../helpers.js';

describe('Api > built-in routes', () => {
  let rt: TestRuntime;
  before(async () => {
    rt = await startRuntime(
      { sources: { facebook: { appSecret: 'fb-app-secret-1', webhookSecret: 'fb-hook-secret-1' }, viber: { enabled: false, authToken: 'viber-token-1' } } },
      { topologies: [copyTopology('copy')] },
    );
    await rt.runtime.log.createTopics([{ name: 'a.one', partitions: 3, config: { cleanupPolicy: 'compact' } }, { name: 'a.two' }, { name: 'b.three' }]);
  });
  after(() => rt.stop());

  it('client.config lists the sources with their enabled flag only, and the features', async () => {
    const res = await rt.post('client.config', {});
    expect(res.status).to.equal(200);
    expect([res.json.sources, res.json.features, res.json.topologies]).to.deep.equal([
      { facebook: { enabled: true }, viber: { enabled: false } },
      { auth: true, log_backend: 'embedded', webhooks: [] },
      ['copy'],
    ]);
  });

  it("client.config has Airy's fields: services with their health, the user's profile, tag colors, version", async () => {
    await eventually(async () => (await rt.post('client.config', {})).json.services.copy.healthy === true, 10_000);
    const res = await rt.post('client.config', {});
    expect(res.json.services).to.deep.equal({ copy: { enabled: true, healthy: true, component: 'copy' } });
    expect(res.json.user_profile).to.deep.equal({ id: 'system', kind: 'system', name: null, avatar_url: null });
    expect(res.json.tag_config).to.deep.equal({ colors: ['tag-red', 'tag-green', 'tag-blue', 'tag-purple'] });
    expect(res.json.cluster_version).to.equal(res.json.version);
    const token = await rt.runtime.signToken({ subject: 'user-7', claims: { name: 'Ada', picture: 'https://example.com/ada.png' } });
    const asUser = await rt.post('client.config', {}, { token });
    expect(asUser.json.user_profile).to.deep.equal({ id: 'user-7', kind: 'user', name: 'Ada', avatar_url: 'https://example.com/ada.png' });
  });

  it('client.config answers 401 without a token', async () => {
    expect((await rt.post('client.config', {}, { token: null })).status).to.equal(401);
  });

  it('topics.list pages through the topics in name order', async () => {
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await rt.post('topics.list', { page_size: 2, ...(cursor === undefined ? {} : { cursor }) });
      expect(res.status).to.equal(200);
      names.push(...res.json.data.map((t: { name: string }) => t.name));
      cursor = res.json.pagination_data.next_cursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    const expected = (await rt.runtime.log.listTopics()).sort();
    expect(names).to.deep.equal(expected);
    expect(pages).to.equal(Math.ceil(expected.length / 2));
    expect(expected).to.include.members(['a.one', 'a.two', 'b.three', 'copy.input', 'copy.output']);
  });

  it('topics.list filters by prefix and shows partitions, offsets and cleanup policy', async () => {
    await produce(rt.runtime.log, 'a.two', ['x', 'y']);
    const res = await rt.post('topics.list', { name_prefix: 'a.' });
    expect(res.json.data.map((t: { name: string; partitions: unknown[]; cleanup_policy: string }) => [t.name, t.partitions.length, t.cleanup_policy])).to.deep.equal([
      ['a.one', 3, 'compact'],
      ['a.two', 1, 'delete'],
    ]);
    expect(res.json.data[1].partitions).to.deep.equal([{ partition: 0, beginning_offset: 0, end_offset: 2 }]);
    expect(res.json.pagination_data).to.deep.equal({ previous_cursor: null, next_cursor: null, total: 2 });
  });

  it('topics.list rejects a cursor it did not issue', async () => {
    const res = await rt.post('topics.list', { cursor: 'bm90LWEtY3Vyc29y' });
    expect([res.status, res.json.code]).to.deep.equal([400, 'RUNTIME_INVALID_CURSOR']);
  });

  it('apps.status reports state, processed records and lag of each application', async () => {
    await produce(rt.runtime.log, 'copy.input', ['1', '2', '3']);
    await eventually(async () => (await rt.post('apps.status', {})).json.data[0].processed_records === 3);
    const res = await rt.post('apps.status', { name: 'copy' });
    expect(res.json.data).to.deep.equal([
      {
        name: 'copy',
        application_id: 'test-copy',
        role: 'live',
        state: 'running',
        processed_records: 3,
        lag: 0,
        partitions: [{ topic: 'copy.input', partition: 0, processed_offset: 3, end_offset: 3, lag: 0 }],
      },
    ]);
  });

  it('apps.status answers 404 RUNTIME_TOPOLOGY_UNKNOWN for a name that does not run', async () => {
    const res = await rt.post('apps.status', { name: 'nope' });
    expect([res.status, res.json.code]).to.deep.equal([404, 'RUNTIME_TOPOLOGY_UNKNOWN']);
  });
});
