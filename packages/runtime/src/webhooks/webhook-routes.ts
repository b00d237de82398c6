/**
 * The webhooks API: `webhooks.subscribe`, `.update`, `.unsubscribe`, `.info`, `.list`,
 * `.rotate-secret`, `.deliveries`, `.dead-letters`, `.replay`. Airy's shapes (`url`, `events`,
 * `headers`, `name`), with these differences: the signing secret is generated (`whsec_…`) and
 * returned once, by `subscribe` (new webhook) and `rotate-secret`, never again; `update` keeps
 * the fields it is not given; the status is `subscribed`, `unsubscribed` or `disabled` (410).
 */
import { randomUUID } from 'node:crypto';
import type { Webhook } from '@parley/schemas';
import { z } from 'zod';
import { RuntimeError } from '../errors.js';
import { defineRoute, type AnyRouteDefinition } from '../http/route-definition.js';
import { isReservedHeader } from './http-sender.js';
import { generateSigningSecret } from './signing.js';
import { refuseTarget } from './ssrf-guard.js';
import { WEBHOOK_EVENT_TYPES } from './webhook-events.js';
import type { WebhookViews } from './webhook-views.js';
import type { WebhooksService } from './webhooks-service.js';

/** How long a request waits for this instance's view to catch up with the log, ms. */
const VIEW_CATCH_UP_MS = 5000;

const EXAMPLE_ID = '6f1d2c3b-4a5e-4d8c-9b0a-1f2e3d4c5b6a';
const MAX_REPLAY = 100_000;
const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;

const webhookId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1-64 characters of [A-Za-z0-9_-]').describe('The webhook id');
const url = z.string().max(2048).describe('The http(s) URL events are POSTed to');
const events = z.array(z.enum(WEBHOOK_EVENT_TYPES)).max(WEBHOOK_EVENT_TYPES.length).describe('Event types to send; empty or omitted: all');
const headers = z
  .record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/, 'an HTTP header name'), z.string().max(4096).regex(/^[^\r\n]*$/, 'no line breaks'))
  .refine((h) => Object.keys(h).length <= 32, 'at most 32 headers')
  .refine((h) => !Object.keys(h).some(isReservedHeader), 'content-type, user-agent and the webhook-* headers are set by Parley')
  .describe('Extra headers sent with every delivery');
const name = z.string().trim().min(1).max(256);

const webhookSchema = z.strictObject({
  id: z.string(),
  name: z.string().nullable(),
  url: z.string(),
  events: z.array(z.string()),
  headers: z.record(z.string(), z.string()),
  status: z.enum(['subscribed', 'unsubscribed', 'disabled']),
  subscribed_at: z.string().describe('ISO-8601; events logged before it are not sent'),
  disabled_reason: z.string().nullable(),
  signed: z.boolean().describe('Whether deliveries carry webhook-signature'),
});
const withSecret = webhookSchema.extend({ signing_secret: z.string().optional().describe('`whsec_…`: shown once, at creation; keep it') });

function render(w: Webhook): z.input<typeof webhookSchema> {
  return {
    id: w.id,
    name: w.name,
    url: w.endpoint,
    events: w.events,
    headers: w.headers ?? {},
    status: w.status === 'SUBSCRIBED' ? 'subscribed' : w.disabledReason !== null ? 'disabled' : 'unsubscribed',
    subscribed_at: new Date(w.subscribedAt).toISOString(),
    disabled_reason: w.disabledReason,
    signed: w.signKey !== null,
  };
}

export function webhookRoutes(service: () => WebhooksService): AnyRouteDefinition[] {
  /** The views, caught up with what any instance appended before this request (read-your-writes across instances). */
  const views = async (): Promise<WebhookViews> => {
    const current = service().views;
    if (!(await current.allApplied(VIEW_CATCH_UP_MS))) throw new RuntimeError('RUNTIME_NOT_READY', 'the webhooks view is behind the log; try again');
    return current;
  };
  const find = async (id: string): Promise<Webhook> => {
    const webhook = (await views()).webhook(id);
    if (webhook === undefined) throw new RuntimeError('RUNTIME_NOT_FOUND', `no webhook ${id}`, { field: 'id' });
    return webhook;
  };
  const checkUrl = async (target: string): Promise<void> => {
    const refusal = await refuseTarget(target, service().config.allowPrivateNetworks);
    if (refusal !== undefined) throw new RuntimeError('RUNTIME_INVALID_REQUEST', `url refused: ${refusal}`, { field: 'url' });
  };
  return [
    defineRoute({
      name: 'webhooks.subscribe',
      summary: 'Subscribes a URL to events (a new webhook, or an existing id again)',
      description:
        'A new webhook gets a signing secret `whsec_…`, returned here once and never again. With the id of an existing webhook it is subscribed again (re-enabled after a 410), keeping its secret. Only events logged from now on are sent. URLs on loopback, private or link-local addresses are refused unless `webhooks.allowPrivateNetworks` is set.',
      request: z.object({ url, id: webhookId.optional(), name: name.optional(), events: events.optional(), headers: headers.optional() }),
      response: withSecret,
      errors: ['RUNTIME_INVALID_REQUEST', 'RUNTIME_NOT_READY'],
      example: { url: 'https://example.com/parley-events', name: 'CRM sync', events: ['message.created'] },
      async handler(_ctx, body) {
        await checkUrl(body.url);
        const existing = body.id === undefined ? undefined : (await views()).webhook(body.id);
        const now = Date.now();
        if (existing !== undefined) {
          const webhook: Webhook = {
            ...existing,
            endpoint: body.url,
            name: body.name ?? existing.name,
            events: body.events ?? existing.events,
            headers: body.headers ?? existing.headers,
            status: 'SUBSCRIBED',
            subscribedAt: now,
            disabledReason: null,
          };
          await service().views.putWebhook(webhook);
          return render(webhook);
        }
        const secret = generateSigningSecret();
        const webhook: Webhook = {
          id: body.id ?? randomUUID(),
          name: body.name ?? null,
          endpoint: body.url,
          events: body.events ?? [],
          headers: body.headers ?? null,
          signKey: secret,
          status: 'SUBSCRIBED',
          subscribedAt: now,
          previousSignKey: null,
          previousSignKeyUntil: null,
          disabledReason: null,
        };
        await service().views.putWebhook(webhook);
        return { ...render(webhook), signing_secret: secret };
      },
    }),
    defineRoute({
      name: 'webhooks.update',
      summary: "Changes a webhook's url, name, events or headers (fields not given are kept)",
      request: z.object({ id: webhookId, url: url.optional(), name: name.optional(), events: events.optional(), headers: headers.optional() }),
      response: webhookSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_INVALID_REQUEST', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_ID, events: ['message.created', 'conversation.updated'] },
      async handler(_ctx, body) {
        const existing = await find(body.id);
        if (body.url !== undefined) await checkUrl(body.url);
        const webhook: Webhook = {
          ...existing,
          endpoint: body.url ?? existing.endpoint,
          name: body.name ?? existing.name,
          events: body.events ?? existing.events,
          headers: body.headers ?? existing.headers,
        };
        await service().views.putWebhook(webhook);
        return render(webhook);
      },
    }),
    defineRoute({
      name: 'webhooks.unsubscribe',
      summary: 'Stops sending events to a webhook (jobs still queued for it are dropped)',
      request: z.object({ id: webhookId }),
      response: webhookSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_ID },
      async handler(_ctx, body) {
        const webhook: Webhook = { ...(await find(body.id)), status: 'UNSUBSCRIBED', disabledReason: null };
        await service().views.putWebhook(webhook);
        return render(webhook);
      },
    }),
    defineRoute({
      name: 'webhooks.info',
      summary: 'One webhook (never its secret)',
      request: z.object({ id: webhookId }),
      response: webhookSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_ID },
      handler: async (_ctx, body) => render(await find(body.id)),
    }),
    defineRoute({
      name: 'webhooks.list',
      summary: 'Every webhook, by id',
      request: z.object({}),
      response: z.strictObject({ data: z.array(webhookSchema) }),
      errors: ['RUNTIME_NOT_READY'],
      example: {},
      handler: async () => ({ data: (await views()).webhooks().map(render) }),
    }),
    defineRoute({
      name: 'webhooks.rotate-secret',
      summary: 'Gives a webhook a new signing secret; the old one keeps signing for grace_seconds',
      description: 'Returns the new `whsec_…` secret once. Until `previous_secret_expires_at` every delivery carries two signatures (new and old, space-separated), so a receiver can switch without losing events.',
      request: z.object({ id: webhookId, grace_seconds: z.int().min(0).max(30 * 24 * 3600).optional().describe('Default 86400 (a day)') }),
      response: z.strictObject({ id: z.string(), signing_secret: z.string(), previous_secret_expires_at: z.string().nullable() }),
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_ID, grace_seconds: 3600 },
      async handler(_ctx, body) {
        const existing = await find(body.id);
        const secret = generateSigningSecret();
        const grace = (body.grace_seconds ?? DEFAULT_ROTATION_GRACE_SECONDS) * 1000;
        const keepOld = existing.signKey !== null && grace > 0;
        const until = keepOld ? Date.now() + grace : null;
        await service().views.putWebhook({ ...existing, signKey: secret, previousSignKey: keepOld ? existing.signKey : null, previousSignKeyUntil: until });
        return { id: existing.id, signing_secret: secret, previous_secret_expires_at: until === null ? null : new Date(until).toISOString() };
      },
    }),
    defineRoute({
      name: 'webhooks.deliveries',
      summary: 'Recent delivery attempts of a webhook, newest first',
      request: z.object({ id: webhookId, page_size: z.int().min(1).max(200).optional() }),
      response: z.strictObject({
        data: z.array(
          z.strictObject({
            event_id: z.string(),
            attempt: z.int(),
            outcome: z.enum(['delivered', 'retrying', 'dead', 'disabled', 'skipped']),
            status: z.int().nullable(),
            latency_ms: z.number(),
            error: z.string().nullable(),
            at: z.string(),
            next_attempt_at: z.string().nullable(),
          }),
        ),
      }),
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_ID, page_size: 20 },
      async handler(_ctx, body) {
        await find(body.id);
        const data = service().views.attempts(body.id).slice(0, body.page_size ?? 50).map(({ webhook_id: _w, ...rest }) => rest);
        return { data };
      },
    }),
    defineRoute({
      name: 'webhooks.dead-letters',
      summary: 'Events a webhook did not take after the last attempt (or while disabled)',
      request: z.object({ id: webhookId }),
      response: z.strictObject({
        data: z.array(z.strictObject({ event_id: z.string(), attempts: z.int(), last_error: z.string(), dead_at: z.string(), event: z.record(z.string(), z.unknown()) })),
      }),
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_ID },
      async handler(_ctx, body) {
        await find(body.id);
        const data = service()
          .views.deadLetters(body.id)
          .map((d) => ({ event_id: d.event_id, attempts: d.attempts, last_error: d.last_error, dead_at: d.dead_at, event: JSON.parse(d.body) as Record<string, unknown> }));
        return { data };
      },
    }),
    defineRoute({
      name: 'webhooks.replay',
      summary: "Sends events to a webhook again: its dead letters, or a range of the event log",
      description:
        'Give exactly one of: `dead_letters: true` (every dead letter, removed from the list once queued), an offset range of the event log (`from_offset`, optional inclusive `to_offset`), or a time range (`since`, optional inclusive `until`, ISO-8601). A range sends every event still in the log that the webhook\'s `events` filter selects, whenever it subscribed; the ids are the original ones (receivers dedupe on `webhook-id`).',
      request: z
        .object({
          id: webhookId,
          dead_letters: z.literal(true).optional(),
          from_offset: z.int().min(0).optional(),
          to_offset: z.int().min(0).optional(),
          since: z.iso.datetime().optional(),
          until: z.iso.datetime().optional(),
        })
        .refine((b) => [b.dead_letters !== undefined, b.from_offset !== undefined, b.since !== undefined].filter(Boolean).length === 1, 'give exactly one of dead_letters, from_offset, since')
        .refine((b) => b.to_offset === undefined || b.from_offset !== undefined, 'to_offset needs from_offset')
        .refine((b) => b.until === undefined || b.since !== undefined, 'until needs since'),
      response: z.strictObject({ enqueued: z.int().describe('Deliveries queued') }),
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_ID, dead_letters: true },
      async handler(_ctx, body) {
        await find(body.id);
        if (body.dead_letters) return { enqueued: await service().replayDeadLetters(body.id) };
        const range =
          body.from_offset !== undefined
            ? { fromOffset: body.from_offset, ...(body.to_offset === undefined ? {} : { toOffset: body.to_offset }) }
            : { since: Date.parse(body.since!), ...(body.until === undefined ? {} : { until: Date.parse(body.until) }) };
        return { enqueued: await service().replayRange(body.id, range, MAX_REPLAY) };
      },
    }),
  ];
}
