/**
 * The website chat plugin as a SourceDefinition: visitors authenticate with a channel id (or a
 * resume token) and get a chat token; `chatplugin.send` appends their messages to
 * `source.chatplugin.events`; the router maps them to Message records; the connector marks the
 * business's replies DELIVERED (the runtime pushes every message of a conversation to the
 * widget's websocket). See README.md in this folder and the package README's "Chat plugin".
 */
import { StreamsBuilder } from '@parley/streams';
import { z } from 'zod';
import { modelSerdes } from '@parley/communication';
import type { SourceDefinition, SourceInstance } from '../source-definition.js';
import { CHAT_TOKEN_DEFAULTS, MIN_CHAT_TOKEN_SECRET_LENGTH } from './chat-token.js';
import { ChatPluginService } from './chatplugin-service.js';
import { CHATPLUGIN_EVENTS_TOPIC, CHATPLUGIN_SOURCE, chatPluginTopics } from './chatplugin-topics.js';
import { addChatPluginConnector } from './connector.js';
import { DEFAULT_MAX_CONTENT_BYTES } from './mapping.js';
import { addChatPluginRouter } from './topology.js';

/** An origin of `allowedOrigins`: `*`, or `scheme://host[:port]` exactly as browsers send it. */
const origin = z.string().refine((value) => {
  if (value === '*') return true;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'an origin is "*" or scheme://host[:port] without a path or a trailing slash');

/** The `sources.chatplugin` configuration section. */
export const chatPluginConfigSchema = z.strictObject({
  /** Partitions of the topics the chat plugin creates. Default 1. */
  partitions: z.number().int().min(1).max(1024).default(1),
  /**
   * HS256 key of chat and resume tokens (at least 32 characters). Default: generated into
   * `<dataDir>/auth/chatplugin-secret` on first start. Set it (the same on every instance) when
   * several runtime processes serve one platform. Never the runtime's `auth.jwtSecret`.
   */
  tokenSecret: z.string().min(MIN_CHAT_TOKEN_SECRET_LENGTH).optional(),
  tokens: z
    .strictObject({
      /** Lifetime of a chat token, in seconds. Default 3600. */
      chatTtlSeconds: z.number().int().min(60).max(30 * 24 * 3600).default(CHAT_TOKEN_DEFAULTS.chatTtlSeconds),
      /** Lifetime of a resume token, in seconds. Default 604 800 (7 days). */
      resumeTtlSeconds: z.number().int().min(60).max(366 * 24 * 3600).default(CHAT_TOKEN_DEFAULTS.resumeTtlSeconds),
    })
    .prefault({}),
  /** Origins whose pages may call the `chatplugin.*` routes (CORS). Default `["*"]`: any site. */
  allowedOrigins: z.array(origin).min(1).default(['*']),
  /** Largest message content, in bytes of JSON. Default 16 384. */
  maxContentBytes: z.number().int().min(64).max(1024 * 1024).default(DEFAULT_MAX_CONTENT_BYTES),
  /** Messages per history page (authenticate with a resume token, `chatplugin.messages`). Default 50. */
  historyPageSize: z.number().int().min(1).max(500).default(50),
  websocket: z
    .strictObject({
      /** Interval of pings; a socket that has not answered the previous one is terminated, in ms. Default 30 000. */
      heartbeatMs: z.number().int().min(100).max(600_000).default(30_000),
      /** How long a socket without an Authorization header has to send its authenticate frame, in ms. Default 5000. */
      authTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
    })
    .prefault({}),
});

export type ChatPluginConfig = z.output<typeof chatPluginConfigSchema>;

/** A chat plugin instance: the common parts plus the visitor and channel operations. */
export interface ChatPluginInstance extends SourceInstance {
  readonly service: ChatPluginService;
}

/** Application ids of the two topologies. */
export const CHATPLUGIN_APPLICATION_IDS = Object.freeze({ router: 'sources.chatplugin.router', connector: 'sources.chatplugin.connector' });

/** The website chat plugin as a SourceDefinition (`tokenSecret` must be set in the config given to `create`). */
export const chatPluginSource: SourceDefinition<ChatPluginConfig, ChatPluginInstance> = {
  name: CHATPLUGIN_SOURCE,
  configSchema: chatPluginConfigSchema,
  eventsTopic: CHATPLUGIN_EVENTS_TOPIC,
  create({ config, log, clock }) {
    if (config.tokenSecret === undefined) throw new TypeError('chatPluginSource.create needs config.tokenSecret (the runtime fills it from the data directory)');
    const service = new ChatPluginService({
      log,
      secret: config.tokenSecret,
      chatTtlSeconds: config.tokens.chatTtlSeconds,
      resumeTtlSeconds: config.tokens.resumeTtlSeconds,
      maxContentBytes: config.maxContentBytes,
      partitions: config.partitions,
      ...(clock === undefined ? {} : { clock }),
    });
    const topics = chatPluginTopics(config.partitions);
    return {
      service,
      router: {
        name: 'chatplugin-router',
        applicationId: CHATPLUGIN_APPLICATION_IDS.router,
        topics,
        build: () => {
          const builder = new StreamsBuilder();
          addChatPluginRouter(builder, { serdes: modelSerdes() });
          return builder.build();
        },
      },
      connector: {
        name: 'chatplugin-connector',
        applicationId: CHATPLUGIN_APPLICATION_IDS.connector,
        topics,
        build: () => {
          const builder = new StreamsBuilder();
          const resolveChannel = async (id: string) => {
            await service.catalog.refresh();
            return service.catalog.channel(id);
          };
          addChatPluginConnector(builder, { serdes: modelSerdes(), resolveChannel });
          return builder.build();
        },
      },
    };
  },
};
