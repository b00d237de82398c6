import { expect } from 'chai';
import WebSocket from 'ws';
import { createPlatform, type Runtime } from '../../src/index.js';
import { eventually, readTestResponse, tempDir, type TestResponse } from '../helpers.js';
import { startReceiver, testMessage, TEST_CHANNEL, type Receiver } from '../webhooks/webhooks-fixture.js';
import { COMMUNICATION_TOPICS } from '@parley/schemas';
import { modelSerdes } from '@parley/communication';
import { parseExposition, sampleValue, type Sample } from './prometheus-text.js';

const SCRAPE_TOKEN = 'scrape-only-token-0123456789';

describe('Runtime > metrics (GET /metrics, embedded log)', function () {
  this.timeout(60_000);
  let runtime: Runtime;
  let receiver: Receiver;

  before(async () => {
    receiver = await startReceiver();
    runtime = createPlatform(
      { dataDir: tempDir('metrics'), http: { port: 0 }, metrics: { token: SCRAPE_TOKEN }, webhooks: { allowPrivateNetworks: true, retrySchedule: [0.02, 0.02] } },
      { logging: { level: 'error', write: () => undefined } },
    );
    await runtime.start();
  });
  after(async () => {
    await runtime.stop();
    await receiver.close();
  });

  const scrapeWith = async (token: string | undefined): Promise<TestResponse> =>
    readTestResponse(await fetch(`${runtime.url}/metrics`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }));
  const scrape = async (): Promise<Sample[]> => {
    const res = await scrapeWith(SCRAPE_TOKEN);
    expect(res.status, res.text).to.equal(200);
    return parseExposition(res.text);
  };
  const post = async (route: string, body: unknown = {}): Promise<TestResponse> =>
    readTestResponse(await fetch(`${runtime.url}/${route}`, { method: 'POST', headers: { authorization: `Bearer ${runtime.systemToken!}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));

  it('answers the scrape token and the system token; refuses no token (401) and a user JWT (403)', async () => {
    const [none, user, scrapeOnly, system] = await Promise.all([
      scrapeWith(undefined),
      runtime.signToken({ subject: 'agent', expiresInSeconds: 60 }).then(scrapeWith),
      scrapeWith(SCRAPE_TOKEN),
      scrapeWith(runtime.systemToken!),
    ]);
    expect([none.status, none.json?.code]).to.deep.equal([401, 'RUNTIME_UNAUTHORIZED']);
    expect([user.status, user.json?.code]).to.deep.equal([403, 'RUNTIME_FORBIDDEN']);
    expect([scrapeOnly.status, system.status]).to.deep.equal([200, 200]);
    expect(scrapeOnly.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    // The scrape token is for /metrics only.
    expect((await readTestResponse(await fetch(`${runtime.url}/conversations.list`, { method: 'POST', headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } }))).status).to.equal(403);
  });

  it('counts and times HTTP requests by route and status; unknown paths share one label', async () => {
    const before = await scrape();
    const labels = { method: 'POST', route: '/conversations.list', status: '200' };
    const count = (samples: Sample[], name: string, l: Record<string, string>) => sampleValue(samples, name, l) ?? 0;
    for (let i = 0; i < 3; i += 1) expect((await post('conversations.list')).status).to.equal(200);
    const refused = await post('conversations.info', { conversation_id: 'nope' });
    expect(refused.status).to.be.within(400, 499);
    expect((await post('no.such-route')).status).to.equal(404);
    expect((await post('random-path-7f3a')).status).to.equal(404);
    const after = await scrape();
    expect(count(after, 'parley_http_requests_total', labels) - count(before, 'parley_http_requests_total', labels)).to.equal(3);
    expect(count(after, 'parley_http_request_duration_seconds_count', labels) - count(before, 'parley_http_request_duration_seconds_count', labels)).to.equal(3);
    expect(count(after, 'parley_http_requests_total', { route: '/conversations.info', status: String(refused.status) })).to.equal(1);
    expect(count(after, 'parley_http_requests_total', { route: 'unmatched', status: '404' }) - count(before, 'parley_http_requests_total', { route: 'unmatched' })).to.equal(2);
    expect(after.filter((s) => s.labels.route?.includes('random'))).to.deep.equal([]);
  });

  it('reports the applications, the log, the stores and webhook deliveries as records flow', async () => {
    const before = await scrape();
    expect(sampleValue(before, 'parley_streams_app_state', { app: 'communication', state: 'running' })).to.equal(1);
    expect(sampleValue(before, 'parley_streams_app_state', { app: 'communication', state: 'error' })).to.equal(0);
    const processedBefore = sampleValue(before, 'parley_streams_records_processed', { app: 'communication' })!;

    // A receiver failing once, then answering: one retry, then one delivery.
    receiver.answer(({ count }) => (count === 0 ? 500 : 200));
    expect((await post('webhooks.subscribe', { url: receiver.url, events: ['message.created'] })).status).to.equal(200);
    const serdes = modelSerdes();
    await runtime.log.append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(TEST_CHANNEL.id), value: serdes.channel.serialize(TEST_CHANNEL) }]);
    const messages = [testMessage('metrics-alice', 1), testMessage('metrics-alice', 2), testMessage('metrics-bob', 1)];
    await runtime.log.append(COMMUNICATION_TOPICS.messages.name, messages.map((m) => ({ key: Buffer.from(m.id), value: serdes.message.serialize(m) })));
    await receiver.until((r) => r.filter((x) => x.status === 200).length >= 3, 20_000);

    let after: Sample[] = [];
    await eventually(async () => {
      after = await scrape();
      // The commit after the records were processed comes at the application's commit interval.
      return (
        (sampleValue(after, 'parley_webhook_attempts_total', { outcome: 'delivered' }) ?? 0) >= 3 &&
        (sampleValue(after, 'parley_store_entries', { app: 'communication', store: 'conversations' }) ?? 0) >= 2 &&
        (sampleValue(after, 'parley_streams_commit_duration_seconds_count', { app: 'communication' }) ?? 0) > 0
      );
    }, 20_000);
    expect(sampleValue(after, 'parley_webhook_attempts_total', { outcome: 'retrying' })).to.equal(1);
    expect(sampleValue(after, 'parley_streams_records_processed', { app: 'communication' })! - processedBefore).to.be.at.least(messages.length + 1);
    expect(sampleValue(after, 'parley_log_records', { topic: COMMUNICATION_TOPICS.messages.name })).to.equal(messages.length);
    expect(sampleValue(after, 'parley_log_records', { topic: COMMUNICATION_TOPICS.channels.name })).to.equal(1);
    expect(sampleValue(after, 'parley_streams_lag_records', { app: 'communication', topic: COMMUNICATION_TOPICS.messages.name })).to.equal(0);
    expect(sampleValue(after, 'process_resident_memory_bytes')).to.be.greaterThan(0);
  });

  it('counts websocket clients while they are connected', async () => {
    const clients = async () => sampleValue(await scrape(), 'parley_websocket_clients', { path: '/ws.communication' });
    expect(await clients()).to.equal(0);
    const ws = new WebSocket(`${runtime.url.replace('http', 'ws')}/ws.communication`, { headers: { authorization: `Bearer ${runtime.systemToken!}` } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    try {
      await eventually(async () => (await clients()) === 1, 10_000);
    } finally {
      ws.close();
    }
    await eventually(async () => (await clients()) === 0, 10_000);
  });
});
