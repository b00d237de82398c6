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
import { z } from 'zod';
import { bearerToken } from '../bearer-token.js';
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
    for (const route of customSourceRoutes(custom)) host.registerRoute(route);
    for (const part of ['router', 'connector'] as const) {
      host.registerTopology({ name: `custom-${part}`, applicationId: CUSTOM_APPLICATION_IDS[part], topics: customSourceTopics(config.partitions), get: () => custom()[part] });
    }
  },
};

/** The seven routes of the Source API over a custom source instance built on first use. */
export function customSourceRoutes(custom: () => CustomSourceInstance) {
  return [
    defineRoute({
      name: 'sources.create',
      summary: 'Registers a custom source; answers its token and signing secret once',
      request: z.object({ id: z.string(), name: optionalText, image_url: optionalText, action_endpoint: optionalText }),
      response: z.strictObject({ source: sourceJson, token: z.string(), signing_secret: z.string() }),
      successStatus: 201,
      errors: ['SOURCES_SOURCE_EXISTS', 'SOURCES_SOURCE_ID_INVALID', 'SOURCES_INVALID_PAYLOAD'],
      example: { id: 'acme-chat', name: 'Acme chat', action_endpoint: 'https://acme.example/parley' },
      async handler(_ctx, body) {
        const created = await custom().manager.create({ id: body.id, name: body.name, imageUrl: body.image_url, actionEndpoint: body.action_endpoint });
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
      request: z.object({ source_id: z.string(), source_channel_id: z.string().min(1).max(1024), name: optionalText, image_url: optionalText }),
      response: channelJson,
      successStatus: 201,
      errors: ['SOURCES_SOURCE_NOT_FOUND'],
      example: { source_id: 'acme-chat', source_channel_id: 'account-1', name: 'Support' },
      handler: async (_ctx, body) =>
        channelToJson(await custom().manager.createChannel({ sourceId: body.source_id, sourceChannelId: body.source_channel_id, name: body.name, imageUrl: body.image_url })),
    }),
    defineRoute({
      name: 'sources.channels.disconnect',
      summary: 'Disconnects a channel of a custom source',
      request: z.object({ source_id: z.string(), channel_id: z.string() }),
      response: null,
      errors: ['SOURCES_SOURCE_NOT_FOUND', 'SOURCES_CHANNEL_NOT_FOUND'],
      example: { source_id: 'acme-chat', channel_id: '00000000-0000-5000-8000-000000000000' },
      handler: async (_ctx, body) => void (await custom().manager.disconnectChannel({ sourceId: body.source_id, channelId: body.channel_id })),
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
      handler: async (ctx, body) => ({ messages: await custom().accept({ id: ctx.principal.id }, body, ctx.rawBody) }),
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
      return { kind: 'scoped', scheme: 'sourceToken', id: source.id, attributes: {} };
    },
  };
}

function sourceToJson(s: SourceView) {
  return { id: s.id, name: s.name, image_url: s.imageUrl, action_endpoint: s.actionEndpoint, created_at: s.createdAt };
}

function channelToJson(c: { id: string; source: string; sourceChannelId: string; connectionState: string }) {
  return { id: c.id, source: c.source, source_channel_id: c.sourceChannelId, connected: c.connectionState === 'CONNECTED' };
}
