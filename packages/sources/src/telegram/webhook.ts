/**
 * `POST /webhooks/telegram`: Telegram sends each update with the `secret_token` given to
 * setWebhook in `X-Telegram-Bot-Api-Secret-Token`, checked in constant time before the body is
 * read. The raw body is appended untouched to `source.telegram.events`, then answered 200.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppendBatcher, type Log } from '@parley/streams';
import { SourcesError } from '../errors.js';
import type { WebhookDefinition } from '../host/provider-host.js';
import { TELEGRAM, TELEGRAM_EVENTS_TOPIC, type TelegramConfig } from './telegram-config.js';

/** Constant-time equality of two strings (hashed first, so lengths leak nothing). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length === expected.length;
}

export function telegramWebhook(config: TelegramConfig, log: () => Log): WebhookDefinition {
  let batcher: AppendBatcher | undefined;
  return {
    provider: TELEGRAM,
    methods: ['POST'],
    checkBeforeBody(request) {
      const header = request.headers['x-telegram-bot-api-secret-token'];
      if (typeof header === 'string' && sameSecret(header, config.secretToken)) return undefined;
      return { status: 401, body: { message: 'x-telegram-bot-api-secret-token is missing or wrong', code: 'SOURCES_SIGNATURE_INVALID' } };
    },
    async handle(request) {
      // The update id keys the raw record (Telegram's retries carry the same one).
      const updateId = /"update_id"\s*:\s*(\d+)/.exec(request.rawBody.toString('utf8'))?.[1];
      batcher ??= new AppendBatcher(log());
      try {
        await batcher.append(TELEGRAM_EVENTS_TOPIC, [{ key: updateId === undefined ? null : Buffer.from(updateId), value: request.rawBody }]);
      } catch (cause) {
        throw new SourcesError('SOURCES_LOG_UNAVAILABLE', 'the log did not accept the update; Telegram sends it again', { cause, retriable: true });
      }
      return { status: 200, body: { ok: true } };
    },
  };
}
