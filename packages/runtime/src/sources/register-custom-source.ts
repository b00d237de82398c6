/**
 * Serves custom sources (the Source API of `@parley/sources`) from a runtime, through its public
 * registration functions only:
 *
 * - routes `sources.create`, `.list`, `.update`, `.delete`, `sources.channels.create`,
 *   `.disconnect` (system token or JWT, like every RPC route);
 * - inbound ingestion with the SOURCE token (not the system token): `POST /sources.webhook`, a
 *   route with its own authentication (Airy Core's path, documented in the OpenAPI document), and
 *   the same handler at `POST /webhooks/custom` (the provider-webhook path, whose errors carry
 *   `SOURCES_*` codes);
 * - the router and connector topologies.
 *
 * The runtime's error table does not know the `SOURCES_*` codes yet, so route handlers translate
 * them to RuntimeError codes with the same status (`toRuntimeError`); the webhook answers its
 * own codes directly.
 */
import {
  CUSTOM_APPLICATION_IDS,
  customPayloadSchema,
  customSource,
  customSourceTopics,
  isSourcesError,
  resolveSourceConfig,
  type CustomSourceInstance,
  type SourceView,
} from '@parley/sources';
import { z } from 'zod';
import { bearerTokenOf } from '../auth/authenticator.js';
import { RuntimeError, type RuntimeErrorCode } from '../errors.js';
import { defineRoute, type RouteAuthentication } from '../http/route-definition.js';
import type { Runtime } from '../runtime.js';
import { lazySourceTopology } from './lazy-source-topology.js';

/** Options of registerCustomSource. */
export interface RegisterCustomSourceOptions {
  /** Register the two topologies too. Default true. */
  topologies?: boolean;
}

const sourceJson = z.strictObject({
  id: z.string(),
  name: z.string().nullable(),
  image_url: z.string().nullable(),
  action_endpoint: z.string().nullable(),
  created_at: z.number(),
});

const channelJson = z.strictObject({ id: z.string(), source: z.string(), source_channel_id: z.string(), connected: z.boolean() });

const optionalText = z.string().min(1).max(2048).nullable().optional();

/** What SOURCES_* codes mean to an API client, as runtime codes with the same status. */
const STATUS_AS_RUNTIME_CODE: Readonly<Record<string, RuntimeErrorCode>> = {
  SOURCES_SOURCE_NOT_FOUND: 'RUNTIME_NOT_FOUND',
  SOURCES_CHANNEL_NOT_FOUND: 'RUNTIME_NOT_FOUND',
  SOURCES_SOURCE_EXISTS: 'RUNTIME_STATE',
  SOURCES_SOURCE_ID_INVALID: 'RUNTIME_INVALID_REQUEST',
  SOURCES_INVALID_PAYLOAD: 'RUNTIME_INVALID_REQUEST',
  SOURCES_LOG_UNAVAILABLE: 'RUNTIME_NOT_READY',
};

/**
 * Registers the Source API on `runtime` (before `start()`). Enabled unless the configuration says
 * `sources.custom.enabled: false`; `sources.custom` is validated by `customSourceConfigSchema`.
 * Returns a getter for the custom source instance (available once the runtime has started).
 */
export function registerCustomSource(runtime: Runtime, options: RegisterCustomSourceOptions = {}): () => CustomSourceInstance {
  const { enabled = true, ...section } = (runtime.config.sources.custom ?? {}) as { enabled?: boolean };
  const config = resolveSourceConfig(customSource, section);
  let instance: CustomSourceInstance | undefined;
  // The log exists only once the runtime has started: build the instance on first use.
  const custom = (): CustomSourceInstance => (instance ??= customSource.create({ config, log: runtime.log }));
  const manage = async <T>(fn: (c: CustomSourceInstance) => Promise<T>): Promise<T> => {
    try {
      return await fn(custom());
    } catch (err) {
      throw toRuntimeError(err);
    }
  };
  if (!enabled) return custom;

  runtime.registerRoute(
    defineRoute({
      name: 'sources.create',
      summary: 'Registers a custom source; answers its token and signing secret once',
      request: z.object({ id: z.string(), name: optionalText, image_url: optionalText, action_endpoint: optionalText }),
      response: z.strictObject({ source: sourceJson, token: z.string(), signing_secret: z.string() }),
      successStatus: 201,
      errors: ['RUNTIME_STATE'],
      example: { id: 'acme-chat', name: 'Acme chat', action_endpoint: 'https://acme.example/parley' },
      handler: (_ctx, body) =>
        manage(async (c) => {
          const created = await c.manager.create({ id: body.id, name: body.name, imageUrl: body.image_url, actionEndpoint: body.action_endpoint });
          return { source: sourceToJson(created.source), token: created.token, signing_secret: created.signingSecret };
        }),
    }),
  );
  runtime.registerRoute(
    defineRoute({
      name: 'sources.list',
      summary: 'Lists the custom sources (never their tokens)',
      request: z.object({}),
      response: z.strictObject({ data: z.array(sourceJson) }),
      example: {},
      handler: () => manage(async (c) => ({ data: (await c.manager.list()).map(sourceToJson) })),
    }),
  );
  runtime.registerRoute(
    defineRoute({
      name: 'sources.update',
      summary: "Changes a custom source's name, image or action endpoint (null clears one)",
      request: z.object({ id: z.string(), name: optionalText, image_url: optionalText, action_endpoint: optionalText }),
      response: sourceJson,
      errors: ['RUNTIME_NOT_FOUND'],
      example: { id: 'acme-chat', name: 'Acme' },
      handler: (_ctx, body) =>
        manage(async (c) => sourceToJson(await c.manager.update({ id: body.id, name: body.name, imageUrl: body.image_url, actionEndpoint: body.action_endpoint }))),
    }),
  );
  runtime.registerRoute(
    defineRoute({
      name: 'sources.delete',
      summary: 'Deletes a custom source after disconnecting its channels',
      request: z.object({ id: z.string() }),
      response: null,
      errors: ['RUNTIME_NOT_FOUND'],
      example: { id: 'acme-chat' },
      handler: (_ctx, body) => manage((c) => c.manager.delete(body.id)),
    }),
  );
  runtime.registerRoute(
    defineRoute({
      name: 'sources.channels.create',
      summary: 'Connects a channel of a custom source',
      request: z.object({ source_id: z.string(), source_channel_id: z.string().min(1).max(1024), name: optionalText, image_url: optionalText }),
      response: channelJson,
      successStatus: 201,
      errors: ['RUNTIME_NOT_FOUND'],
      example: { source_id: 'acme-chat', source_channel_id: 'account-1', name: 'Support' },
      handler: (_ctx, body) =>
        manage(async (c) =>
          channelToJson(await c.manager.createChannel({ sourceId: body.source_id, sourceChannelId: body.source_channel_id, name: body.name, imageUrl: body.image_url })),
        ),
    }),
  );
  runtime.registerRoute(
    defineRoute({
      name: 'sources.channels.disconnect',
      summary: 'Disconnects a channel of a custom source',
      request: z.object({ source_id: z.string(), channel_id: z.string() }),
      response: null,
      errors: ['RUNTIME_NOT_FOUND'],
      example: { source_id: 'acme-chat', channel_id: '00000000-0000-5000-8000-000000000000' },
      handler: (_ctx, body) => manage(async (c) => void (await c.manager.disconnectChannel({ sourceId: body.source_id, channelId: body.channel_id }))),
    }),
  );
  runtime.registerRoute(
    defineRoute({
      name: 'sources.webhook',
      summary: "Ingests a custom source's messages and metadata (source token)",
      description:
        'Authenticated with the token sources.create answered, not the system token. The raw body is appended to `source.custom.events` before the answer, ' +
        'so a 200 means stored; the router maps it to messages and metadata of connected channels (unroutable items go to `source.custom.dead-letters`). ' +
        'Ids are deterministic: a retry of the same payload answers and writes the same ids.',
      auth: sourceTokenAuth(custom),
      request: customPayloadSchema,
      response: z.strictObject({
        messages: z.array(z.strictObject({ source_message_id: z.string(), message_id: z.string(), conversation_id: z.string(), channel_id: z.string() })),
      }),
      errors: ['RUNTIME_NOT_READY'],
      example: {
        messages: [
          { source_message_id: 'm-1', source_conversation_id: 'contact-42', source_channel_id: 'account-1', sent_at: 1700000000000, content: { text: 'hello' }, from_contact: true },
        ],
      },
      handler: (ctx, body) => manage(async (c) => ({ messages: await c.accept({ id: ctx.principal.id }, body, ctx.rawBody) })),
    }),
  );
  runtime.registerWebhook({
    provider: customSource.name,
    methods: ['POST'],
    // The source token is checked before the body is read (the handler checks it again).
    checkBeforeBody: async ({ headers }) => {
      try {
        await custom().manager.authenticate(bearerTokenOf(headers));
        return undefined;
      } catch (err) {
        if (!isSourcesError(err) || err.code !== 'SOURCES_TOKEN_INVALID') throw toRuntimeError(err);
        return { status: 401, headers: { 'www-authenticate': 'Bearer realm="parley-source"' }, body: { message: err.message, code: err.code } };
      }
    },
    handle: (request) => custom().webhook(request),
  });
  if (options.topologies !== false) {
    for (const part of ['router', 'connector'] as const) {
      runtime.registerTopology(
        lazySourceTopology({ name: `custom-${part}`, applicationId: CUSTOM_APPLICATION_IDS[part], topics: customSourceTopics(config.partitions), get: () => custom()[part] }),
      );
    }
  }
  return custom;
}


/** The source token check of `sources.webhook`: 401 without a bearer token, 403 for a token no source holds. */
function sourceTokenAuth(custom: () => CustomSourceInstance): RouteAuthentication {
  return {
    scheme: 'sourceToken',
    description: 'The token sources.create answered for a custom source',
    async authenticate(headers) {
      const token = bearerTokenOf(headers);
      if (token === undefined) throw new RuntimeError('RUNTIME_UNAUTHORIZED', 'sources.webhook needs "Authorization: Bearer <source token>"');
      try {
        const source = await custom().manager.authenticate(token);
        return { kind: 'scoped', scheme: 'sourceToken', id: source.id, attributes: {} };
      } catch (err) {
        if (isSourcesError(err) && err.code === 'SOURCES_TOKEN_INVALID') throw new RuntimeError('RUNTIME_FORBIDDEN', 'the source token is not valid', { cause: err });
        throw toRuntimeError(err);
      }
    },
  };
}

function sourceToJson(s: SourceView) {
  return { id: s.id, name: s.name, image_url: s.imageUrl, action_endpoint: s.actionEndpoint, created_at: s.createdAt };
}

function channelToJson(c: { id: string; source: string; sourceChannelId: string; connectionState: string }) {
  return { id: c.id, source: c.source, source_channel_id: c.sourceChannelId, connected: c.connectionState === 'CONNECTED' };
}

/** A SourcesError as the RuntimeError with the same HTTP status; anything else unchanged. */
function toRuntimeError(err: unknown): unknown {
  if (!isSourcesError(err)) return err;
  const code = STATUS_AS_RUNTIME_CODE[err.code];
  return code === undefined ? err : new RuntimeError(code, err.message, { cause: err, ...(err.field === undefined ? {} : { field: err.field }) });
}
