import { expect } from 'chai';
import { openApiChecker, pointerSegment, type OpenApiChecker } from '../openapi-checker.js';
import { startReceiver, startWebhooksPlatform, testMessage, type Receiver, type WebhooksPlatform } from './webhooks-fixture.js';

const WEBHOOK_ROUTES = [
  'webhooks.subscribe', 'webhooks.update', 'webhooks.unsubscribe', 'webhooks.info', 'webhooks.list',
  'webhooks.rotate-secret', 'webhooks.deliveries', 'webhooks.dead-letters', 'webhooks.replay',
];

describe('Webhooks > OpenAPI contract', function () {
  this.timeout(30_000);
  let p: WebhooksPlatform;
  let receiver: Receiver;
  let doc: any;
  let validate: OpenApiChecker['validate'];
  let expectDescribed: OpenApiChecker['expectDescribed'];

  before(async () => {
    p = await startWebhooksPlatform({ retrySchedule: [] });
    receiver = await startReceiver();
    doc = await (await fetch(`${p.runtime.url}/openapi.json`)).json();
    ({ validate, expectDescribed } = openApiChecker(doc));
  });
  after(async () => {
    await p.stop();
    await receiver.close();
  });

  it('documents every webhooks route, validates its example and answers it as documented (2xx, or 404 for the example id)', async () => {
    expect(p.runtime.routes.map((r) => r.name).filter((n) => n.startsWith('webhooks.')).sort()).to.deep.equal([...WEBHOOK_ROUTES].sort());
    for (const name of WEBHOOK_ROUTES) {
      const route = p.runtime.routes.find((r) => r.name === name)!;
      expect(validate(`/paths/${pointerSegment(`/${name}`)}/post/requestBody/content/application~1json/schema`, route.example), `${name} example`).to.deep.equal([]);
      const res = await p.post(name, route.example);
      expect(res.status === 404 ? res.json.code : res.status, `${name}: ${res.text}`).to.be.oneOf(['RUNTIME_NOT_FOUND', 200]);
      expectDescribed(name, res);
    }
  });

  it('answers every route on real data with a response the document describes', async () => {
    const subscribed = await p.post('webhooks.subscribe', { url: receiver.url, name: 'contract', headers: { 'X-Key': 'v' } });
    expectDescribed('webhooks.subscribe', subscribed);
    const { id } = subscribed.json;
    receiver.answer(() => 500); // with no retries: one attempt, then a dead letter
    await p.appendMessages([testMessage('contract', 1)]);
    await receiver.until((r) => r.length >= 1);
    for (const [name, body] of [
      ['webhooks.update', { id, events: ['message.created'] }],
      ['webhooks.info', { id }],
      ['webhooks.list', {}],
      ['webhooks.rotate-secret', { id }],
      ['webhooks.deliveries', { id }],
      ['webhooks.dead-letters', { id }],
      ['webhooks.replay', { id, from_offset: 0, to_offset: 0 }],
      ['webhooks.unsubscribe', { id }],
    ] as const) {
      const res = await p.post(name, body);
      expect(res.status, `${name}: ${res.text}`).to.equal(200);
      expectDescribed(name, res);
    }
  });
});
