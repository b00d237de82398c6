/**
 * Meta's webhook verification handshake (`GET` with `hub.mode`, `hub.verify_token`,
 * `hub.challenge`), shared by the Meta providers: the challenge is answered only for
 * `hub.mode=subscribe` and the configured verify token (constant-time compare); anything else is
 * 403 SOURCES_TOKEN_INVALID (Airy Core answered 200 with `0`).
 */
import { timingSafeEqual } from 'node:crypto';
import { SourcesError } from '../errors.js';
import type { WebhookRequest, WebhookResponse } from '../source-definition.js';

/**
 * The handshake's answer: 200 with `hub.challenge` as the body.
 * @throws SourcesError SOURCES_TOKEN_INVALID (403) for another mode, a missing challenge or a wrong token.
 */
export function answerHubHandshake(request: Pick<WebhookRequest, 'query'>, verifyToken: string, section: string): WebhookResponse {
  const mode = first(request.query['hub.mode']);
  const token = Buffer.from(first(request.query['hub.verify_token']) ?? '');
  const expected = Buffer.from(verifyToken);
  const challenge = first(request.query['hub.challenge']);
  if (mode !== 'subscribe' || challenge === undefined || token.length !== expected.length || !timingSafeEqual(token, expected)) {
    throw new SourcesError('SOURCES_TOKEN_INVALID', `hub.mode must be subscribe and hub.verify_token must match ${section}.verifyToken`);
  }
  return { status: 200, body: challenge };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
