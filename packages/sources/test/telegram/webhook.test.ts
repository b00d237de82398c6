import { expect } from 'chai';
import fc from 'fast-check';
import type { Log } from '@parley/streams';
import { isSourcesError, TELEGRAM_EVENTS_TOPIC, telegramConfigSchema, telegramWebhook, type WebhookDefinition } from '../../src/index.js';
import { openTempLog } from '../helpers.js';
import { BOT_TOKEN, SECRET_TOKEN, telegramFixture } from './telegram-fixtures.js';

const config = telegramConfigSchema.parse({ botToken: BOT_TOKEN, secretToken: SECRET_TOKEN, publicUrl: 'https://parley.example/webhooks/telegram' });
const request = (secret: string | undefined, body = telegramFixture('text.json')) => ({ method: 'POST' as const, headers: secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret }, query: {}, rawBody: body });

describe('Telegram > webhook', () => {
  let temp: Awaited<ReturnType<typeof openTempLog>>;
  let hook: WebhookDefinition;
  beforeEach(async () => {
    temp = await openTempLog('telegram');
    await temp.log.createTopics([{ name: TELEGRAM_EVENTS_TOPIC, partitions: 1 }]);
    hook = telegramWebhook(config, () => temp.log);
  });
  afterEach(() => temp.cleanup());
  const stored = async () => (await temp.log.read({ topic: TELEGRAM_EVENTS_TOPIC, partition: 0 }, 0)).map((r) => [r.key?.toString() ?? null, r.value!.toString()]);

  it('lets the right secret token through before the body is read, and stores the update untouched keyed by update_id', async () => {
    expect(await hook.checkBeforeBody!(request(SECRET_TOKEN))).to.equal(undefined);
    expect(await hook.handle(request(SECRET_TOKEN))).to.deep.equal({ status: 200, body: { ok: true } });
    expect(await stored()).to.deep.equal([['512340001', telegramFixture('text.json').toString()]]);
  });

  it('refuses a missing, wrong or altered secret token with 401 SOURCES_SIGNATURE_INVALID before the body is read', async () => {
    for (const secret of [undefined, '', 'wrong', `${SECRET_TOKEN}x`, SECRET_TOKEN.slice(1), SECRET_TOKEN.toUpperCase()]) {
      const answer = await hook.checkBeforeBody!(request(secret));
      expect([answer?.status, (answer?.body as { code?: string } | undefined)?.code], String(secret)).to.deep.equal([401, 'SOURCES_SIGNATURE_INVALID']);
    }
  });

  it('property: only the configured secret token passes', () => {
    // The right token, any string, and the right token with one character altered.
    const altered = fc.nat({ max: SECRET_TOKEN.length - 1 }).map((i) => `${SECRET_TOKEN.slice(0, i)}x${SECRET_TOKEN.slice(i + 1)}`);
    fc.assert(
      fc.property(fc.oneof(fc.constant(SECRET_TOKEN), fc.string({ maxLength: 300 }), altered), (secret) => {
        expect(hook.checkBeforeBody!(request(secret)) === undefined).to.equal(secret === SECRET_TOKEN);
      }),
    );
  });

  it('refuses with a retriable SOURCES_LOG_UNAVAILABLE when the log does not accept the update', async () => {
    const failing = new Proxy(temp.log as Log, { get: (target, prop, receiver) => (prop === 'append' ? () => Promise.reject(new Error('disk full')) : Reflect.get(target, prop, receiver)) });
    let err: unknown;
    try {
      await telegramWebhook(config, () => failing).handle(request(SECRET_TOKEN));
    } catch (e) {
      err = e;
    }
    expect(isSourcesError(err, 'SOURCES_LOG_UNAVAILABLE') && err.retriable).to.equal(true);
  });
});
