/**
 * The custom source provider (the Source API) as the host registers it:
 *
 * - management routes `sources.create`, `.list`, `.update`, `.delete`, `sources.channels.create`,
 *   `.disconnect` (the host's own auth: system token or user JWT, like every RPC route);
 * - the one ingestion door `POST /sources.webhook` (Airy Core's path), authenticated with the
 *   SOURCE token through CustomSourceManager.authenticate: 401 SOURCES_TOKEN_MISSING without
 *   one, 403 SOURCES_TOKEN_INVALID for a wrong one; the raw body goes through the AppendBatcher;
 * - the router and connector topologies.
 *
 * Errors are SourcesErrors; the host's one error table gives each code its status.
 */
import { flattenMetadata, type JsonObject, type SourceIdScheme } from '@parley/schemas';
import { z } from 'zod';
import { bearerToken } from '../bearer-token.js';
import { SOURCE_TOKEN_PREFIX } from './source-token.js';
import { SourcesError } from '../errors.js';
import type { Principal } from '../host/principal.js';
import type { ProviderHost } from '../host/provider-host.js';
import { defineRoute, type RouteAuthentication } from '../host/route-definition.js';
import type { ProviderDefinition } from '../provider-definition.js';
import { CUSTOM_APPLICATION_IDS, customSource, customSourceConfigSchema, type CustomSourceConfig, type CustomSourceInstance } from './index.js';
import { customSourceTopics } from './custom-topics.js';
import { customPayloadSchema } from './mapping.js';
import type { SourceView } from './source-management.js';

const sourceJson = z.strictObject({
  id: z.string(),
  name: z.string().nullable(),
  image_url: z.string().nullable(),
  action_endpoint: z.string().nullable(),
  id_scheme: z.enum(['parley', 'airy']).describe("How its conversation and message ids are derived: `parley` scoped by channel, `airy` as Airy Core's Source API did"),
  created_at: z.number(),
});

const channelJson = z.strictObject({ id: z.string(), source: z.string(), source_channel_id: z.string(), connected: z.boolean() });

const optionalText = z.string().min(1).max(2048).nullable().optional();

/** The Source API as a provider: `sources.custom` is validated by `customSourceConfigSchema`. */
export const customProvider: ProviderDefinition<CustomSourceConfig> = {
  name: customSource.name,
  configSchema: customSourceConfigSchema,
  register(host, config) {
    let instance: CustomSourceInstance | undefined;
    // The log exists only once the host has started: build the instance on first use.
    const custom = (): CustomSourceInstance => (instance ??= customSource.create({ config, log: host.log }));
    for (const route of customSourceRoutes(custom, host)) host.registerRoute(route);
    for (const part of ['router', 'connector'] as const) {
      host.registerTopology({ name: `custom-${part}`, applicationId: CUSTOM_APPLICATION_IDS[part], topics: customSourceTopics(config.partitions), get: () => custom()[part] });
    }
  },
};

/**
 * The seven routes of the Source API over a custom source instance built on first use. With
 * `host`, `sources.channels.*` also take the source's own token (Airy's shape), besides the host's
 * system token or user JWT.
 */
export function customSourceRoutes(custom: () => CustomSourceInstance, host?: Pick<ProviderHost, 'authenticate'>) {
  const channelAuth = host === undefined ? {} : { auth: sourceTokenOrHostAuth(custom, host) };
  return [
    defineRoute({
      name: 'sources.create',
      summary: 'Registers a custom source; answers its token and signing secret once',
      description:
        "Name the source by `id`, or by `source_id` as in Airy Core. `id_scheme` (fixed for the source's life) picks how its conversation and message ids are derived: `parley` scopes them by channel like every source, `airy` derives them as Airy Core did (`UUIDv5(source_id, source_conversation_id)`, …), so an integration moved from Airy keeps its ids. Default: `airy` for a request naming `source_id`, else `parley`.",
      request: z
        .object({
          id: z.string().optional(),
          source_id: z.string().optional().meta({ description: "Airy's name for `id`", 'x-alias-of': 'id' }),
          name: optionalText,
          image_url: optionalText,
          action_endpoint: optionalText,
          id_scheme: z.enum(['parley', 'airy']).optional(),
        })
        .refine((b) => (b.id === undefined) !== (b.source_id === undefined), { message: 'give exactly one of id and source_id', path: ['id'] }),
      response: z.strictObject({ source: sourceJson, token: z.string(), signing_secret: z.string() }),
      successStatus: 201,
      errors: ['SOURCES_SOURCE_EXISTS', 'SOURCES_SOURCE_ID_INVALID', 'SOURCES_INVALID_PAYLOAD'],
      example: { id: 'acme-chat', name: 'Acme chat', action_endpoint: 'https://acme.example/parley' },
      async handler(_ctx, body) {
        const idScheme = (body.id_scheme ?? (body.source_id === undefined ? 'parley' : 'airy')) === 'airy' ? 'AIRY' : 'PARLEY';
        const created = await custom().manager.create({ id: (body.id ?? body.source_id)!, name: body.name, imageUrl: body.image_url, actionEndpoint: body.action_endpoint, idScheme });
        return { source: sourceToJson(created.source), token: created.token, signing_secret: created.signingSecret };
      },
    }),
    defineRoute({
      name: 'sources.list',
      summary: 'Lists the custom sources (never their tokens)',
      request: z.object({}),
      response: z.strictObject({ data: z.array(sourceJson) }),
      example: {},
      handler: async () => ({ data: (await custom().manager.list()).map(sourceToJson) }),
    }),
    defineRoute({
      name: 'sources.update',
      summary: "Changes a custom source's name, image or action endpoint (null clears one)",
      request: z.object({ id: z.string(), name: optionalText, image_url: optionalText, action_endpoint: optionalText }),
      response: sourceJson,
      errors: ['SOURCES_SOURCE_NOT_FOUND', 'SOURCES_INVALID_PAYLOAD'],
      example: { id: 'acme-chat', name: 'Acme' },
      handler: async (_ctx, body) => sourceToJson(await custom().manager.update({ id: body.id, name: body.name, imageUrl: body.image_url, actionEndpoint: body.action_endpoint })),
    }),
    defineRoute({
      name: 'sources.delete',
      summary: 'Deletes a custom source after disconnecting its channels',
      request: z.object({ id: z.string() }),
      response: null,
      errors: ['SOURCES_SOURCE_NOT_FOUND'],
      example: { id: 'acme-chat' },
      handler: (_ctx, body) => custom().manager.delete(body.id),
    }),
    defineRoute({
      name: 'sources.channels.create',
      summary: 'Connects a channel of a custom source',
      description:
        "Authenticated with the host's token (then `source_id` names the source) or, as in Airy Core, with the source's own token (then `source_id` may be left out). `metadata` becomes the channel's metadata (no secrets: `channels.list` shows it); `name` and `image_url` win over keys of the same name in it.",
      ...channelAuth,
      request: z.object({
        source_id: z.string().optional(),
        source_channel_id: z.string().min(1).max(1024),
        name: optionalText,
        image_url: optionalText,
        metadata: z
          .record(z.string(), z.unknown())
          .refine(hasStorableKeys, { message: 'keys must be non-empty and contain no dot' })
          .optional()
          .describe('Channel metadata, nested'),
      }),
      response: channelJson,
      successStatus: 201,
      errors: ['SOURCES_SOURCE_NOT_FOUND', 'SOURCES_INVALID_PAYLOAD', 'SOURCES_TOKEN_INVALID'],
      example: { source_id: 'acme-chat', source_channel_id: 'account-1', name: 'Support', metadata: { region: 'eu' } },
      handler: async (ctx, body) =>
        channelToJson(
          await custom().manager.createChannel({
            sourceId: sourceIdFor(ctx.principal, body.source_id),
            sourceChannelId: body.source_channel_id,
            name: body.name,
            imageUrl: body.image_url,
            ...(body.metadata === undefined ? {} : { metadata: body.metadata as JsonObject }),
          }),
        ),
    }),
    defineRoute({
      name: 'sources.channels.disconnect',
      summary: 'Disconnects a channel of a custom source',
      description: "Authenticated like sources.channels.create: with the source's own token `source_id` may be left out.",
      ...channelAuth,
      request: z.object({ source_id: z.string().optional(), channel_id: z.string() }),
      response: null,
      errors: ['SOURCES_SOURCE_NOT_FOUND', 'SOURCES_CHANNEL_NOT_FOUND', 'SOURCES_INVALID_PAYLOAD', 'SOURCES_TOKEN_INVALID'],
      example: { source_id: 'acme-chat', channel_id: '00000000-0000-5000-8000-000000000000' },
      handler: async (ctx, body) => void (await custom().manager.disconnectChannel({ sourceId: sourceIdFor(ctx.principal, body.source_id), channelId: body.channel_id })),
    }),
    defineRoute({
      name: 'sources.webhook',
      summary: "Ingests a custom source's messages and metadata (source token)",
      description:
        'Authenticated with the token sources.create answered, not the system token: 401 `SOURCES_TOKEN_MISSING` without one, 403 `SOURCES_TOKEN_INVALID` for a wrong one. ' +
        'The raw body is appended to `source.custom.events` before the answer, so a 200 means stored; the router maps it to messages and metadata of connected channels ' +
        '(unroutable items go to `source.custom.dead-letters`). Ids are deterministic: a retry of the same payload answers and writes the same ids.',
      auth: sourceTokenAuth(custom),
      request: customPayloadSchema,
      response: z.strictObject({
        messages: z.array(z.strictObject({ source_message_id: z.string(), message_id: z.string(), conversation_id: z.string(), channel_id: z.string() })),
      }),
      errors: ['SOURCES_TOKEN_MISSING', 'SOURCES_TOKEN_INVALID', 'SOURCES_INVALID_PAYLOAD', 'SOURCES_LOG_UNAVAILABLE'],
      example: {
        messages: [
          { source_message_id: 'm-1', source_conversation_id: 'contact-42', source_channel_id: 'account-1', sent_at: 1700000000000, content: { text: 'hello' }, from_contact: true },
        ],
      },
      handler: async (ctx, body) => ({ messages: await custom().accept({ id: ctx.principal.id, idScheme: schemeOf(ctx.principal) }, body, ctx.rawBody) }),
    }),
  ];
}

/** The source token check of `sources.webhook` (CustomSourceManager.authenticate): 401 without a bearer token, 403 for a token no source holds. */
function sourceTokenAuth(custom: () => CustomSourceInstance): RouteAuthentication {
  return {
    scheme: 'sourceToken',
    description: 'The token sources.create answered for a custom source',
    async authenticate(headers) {
      const source = await custom().manager.authenticate(bearerToken(headers));
      return { kind: 'scoped', scheme: 'sourceToken', id: source.id, attributes: { id_scheme: source.idScheme } };
    },
  };
}

/** `sources.channels.*`: a source token (`psrc.…`) is checked as in `sources.webhook`, any other token by the host. */
function sourceTokenOrHostAuth(custom: () => CustomSourceInstance, host: Pick<ProviderHost, 'authenticate'>): RouteAuthentication {
  const sourceAuth = sourceTokenAuth(custom);
  return {
    scheme: 'sourceTokenOrBearer',
    description: "The custom source's own token (Airy's shape), or the system token or a user JWT",
    authenticate: (headers) => (bearerToken(headers)?.startsWith(SOURCE_TOKEN_PREFIX) ? sourceAuth.authenticate(headers) : host.authenticate(headers)),
  };
}

/** The source a channel request is about: the token's own source, else the body's `source_id`. */
function sourceIdFor(principal: Principal, bodySourceId: string | undefined): string {
  if (principal.kind === 'scoped' && principal.scheme === 'sourceToken') {
    if (bodySourceId !== undefined && bodySourceId !== principal.id) {
      throw new SourcesError('SOURCES_INVALID_PAYLOAD', `the token is source ${principal.id}'s, not ${bodySourceId}'s`, { field: 'source_id' });
    }
    return principal.id;
  }
  if (bodySourceId === undefined) throw new SourcesError('SOURCES_INVALID_PAYLOAD', 'source_id is required unless the request carries the source\'s own token', { field: 'source_id' });
  return bodySourceId;
}

function schemeOf(principal: Principal): SourceIdScheme {
  return principal.kind === 'scoped' && principal.attributes.id_scheme === 'AIRY' ? 'AIRY' : 'PARLEY';
}

function hasStorableKeys(value: Record<string, unknown>): boolean {
  try {
    flattenMetadata(value as JsonObject);
    return true;
  } catch {
    return false;
  }
}

function sourceToJson(s: SourceView) {
  return { id: s.id, name: s.name, image_url: s.imageUrl, action_endpoint: s.actionEndpoint, id_scheme: s.idScheme === 'AIRY' ? ('airy' as const) : ('parley' as const), created_at: s.createdAt };
}

function channelToJson(c: { id: string; source: string; sourceChannelId: string; connectionState: string }) {
  return { id: c.id, source: c.source, source_channel_id: c.sourceChannelId, connected: c.connectionState === 'CONNECTED' };
}
