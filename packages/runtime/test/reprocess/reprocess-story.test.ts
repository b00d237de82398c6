import { expect } from 'chai';
import { createPlatform, type Runtime } from '../../src/index.js';
import { forEachBackend, tempDir } from '../helpers.js';
import { displayNameKey, shopRouter } from './fixtures/shop-router.js';
import { CONTACTS, FIXED_MODULE, contactHandle, contactName, createShopChannel, displayNames, ingestShopEvents, post, touchedContacts, waitFor } from './story.js';

/** Raw events of the story (10 000 by default; REPROCESS_TEST_EVENTS to change it). */
const EVENTS = Number(process.env.REPROCESS_TEST_EVENTS ?? 10_000);

forEachBackend('Runtime > reprocess: the router bug story', function (backend) {
  this.timeout(600_000);
  let runtime: Runtime;
  let url: string;
  let token: string;
  let channelId: string;

  before(async () => {
    runtime = createPlatform({ dataDir: tempDir('reprocess-story'), http: { port: 0 }, log: backend.freshLog() }, { logging: { level: 'silent' }, topologies: [shopRouter('handle')] });
    await runtime.start();
    url = runtime.url;
    token = runtime.systemToken!;
    channelId = await createShopChannel(url, token);
    await ingestShopEvents(runtime.log, channelId, EVENTS);
    await waitFor('the live version ingested every conversation and name', () => displayNames(url, token), (names) => names.size === CONTACTS && [...names].every(([c, name]) => name === contactHandle(Number(c.slice(2)))));
  });
  after(() => runtime?.stop());

  const expectNames = (names: Map<string, string>, name: (i: number) => string) =>
    expect(Object.fromEntries(names)).to.deep.equal(Object.fromEntries(Array.from({ length: CONTACTS }, (_, i) => [`c-${i}`, name(i)])));

  it('runs the fix side by side, diffs exactly the touched keys, promotes with no failed request, rolls back', async () => {
    expectNames(await displayNames(url, token), contactHandle);

    // Side by side: the shadow has its own application id and shows up in apps.status.
    const started = await post(url, 'reprocess.start', token, { topology: 'shop-router', module: FIXED_MODULE });
    expect(started.status, started.text).to.equal(200);
    expect(started.json).to.include({ topology: 'shop-router', generation: 1, phase: 'running', application_id: 'shop-router.shadow-1', previous_application_id: 'shop-router', module: FIXED_MODULE });
    expect(started.json.outputs).to.deep.equal([
      { topic: 'application.communication.messages', shadow_topic: 'shop-router.shadow-1.application.communication.messages', keyed: true },
      { topic: 'application.communication.metadata', shadow_topic: 'shop-router.shadow-1.application.communication.metadata', keyed: true },
    ]);
    const apps = await post(url, 'apps.status', token);
    expect(apps.json.data.filter((a: { role: string }) => a.role === 'shadow').map((a: { name: string }) => a.name)).to.deep.equal(['shop-router.shadow-1']);

    const caughtUp = await waitFor('the shadow caught up', () => post(url, 'reprocess.status', token), (r) => r.json.data[0]?.caught_up === true);
    expect(caughtUp.json.data[0].inputs).to.deep.include({ topic: 'source.shop.events', processed: EVENTS, end: EVENTS, lag: 0, rate: caughtUp.json.data[0].inputs[0].rate, eta_seconds: 0 });
    // Nothing reached the live topics yet.
    expectNames(await displayNames(url, token), contactHandle);

    // The diff names exactly the display-name keys of the contacts the bug touched.
    const diff = await post(url, 'reprocess.diff', token, { samples: 100 });
    expect(diff.status, diff.text).to.equal(200);
    const [messages, metadata] = diff.json.outputs;
    expect(messages).to.include({ topic: 'application.communication.messages', added: 0, removed: 0, changed: 0, unchanged: EVENTS, shadow_records: EVENTS });
    expect(metadata).to.include({ topic: 'application.communication.metadata', added: 0, removed: 0, changed: touchedContacts().length, unchanged: CONTACTS - touchedContacts().length });
    expect(metadata.samples.map((s: { key: { data: string } }) => s.key.data).sort()).to.deep.equal(touchedContacts().map((i) => displayNameKey(channelId, `c-${i}`)).sort());
    const sample = metadata.samples[0];
    expect([sample.kind, sample.before.encoding, sample.after.encoding]).to.deep.equal(['changed', 'avro', 'avro']);

    // Promote while a client reads conversations: no request fails, and afterwards only fixed data.
    const failures: string[] = [];
    let requests = 0;
    let reading = true;
    const conversationIds = [...(await post(url, 'conversations.list', token, { page_size: 100 })).json.data.map((c: { id: string }) => c.id)];
    const reader = (async () => {
      for (let n = 0; reading; n++) {
        const res = n % 2 === 0 ? await post(url, 'conversations.list', token, { page_size: 20 }) : await post(url, 'conversations.info', token, { conversation_id: conversationIds[n % conversationIds.length] });
        requests++;
        if (res.status !== 200) failures.push(`${res.status} ${res.text}`);
      }
    })();
    const promoted = await post(url, 'reprocess.promote', token);
    reading = false;
    await reader;
    expect(promoted.status, promoted.text).to.equal(200);
    expect(promoted.json.applied).to.deep.equal({ 'application.communication.metadata': touchedContacts().length });
    expect(promoted.json.settled).to.equal(true);
    expect(promoted.json.reprocess).to.include({ phase: 'promoted', application_id: 'shop-router.shadow-1' });
    expect(requests).to.be.above(0);
    expect(failures).to.deep.equal([]);
    expectNames(await displayNames(url, token), contactName);
    expect(runtime.apps.get('shop-router')?.definition.applicationId).to.equal('shop-router.shadow-1');

    // New raw events go through the promoted (fixed) version.
    await ingestShopEvents(runtime.log, channelId, CONTACTS, EVENTS);
    await waitFor('new events routed', () => post(url, 'conversations.info', token, { conversation_id: conversationIds[0] }), (r) => /hello \d+/.test(JSON.stringify(r.json.last_message.content)) && Number(/hello (\d+)/.exec(JSON.stringify(r.json.last_message.content))![1]) >= EVENTS);
    expectNames(await displayNames(url, token), contactName);

    // Rollback: the old answers come back.
    const rolledBack = await post(url, 'reprocess.rollback', token);
    expect(rolledBack.status, rolledBack.text).to.equal(200);
    expect(rolledBack.json).to.include({ topology: 'shop-router', generation: 1, settled: true });
    expectNames(await displayNames(url, token), contactHandle);
    expect(runtime.apps.get('shop-router')?.definition.applicationId).to.equal('shop-router');
    expect((await post(url, 'reprocess.status', token)).json.data).to.deep.equal([]);
    const topics = await runtime.log.listTopics();
    expect(topics.filter((t) => t.startsWith('shop-router.shadow-1'))).to.deep.equal([]);
  });
});
