/**
 * The website chat plugin as the host registers it:
 *
 * - visitor routes `chatplugin.authenticate`, `.send`, `.messages`, `.resume-token` (chat tokens,
 *   see chat-token-auth.ts), open to pages of `sources.chatplugin.allowedOrigins` (CORS);
 * - management routes `channels.chatplugin.connect`, `.update`, `.disconnect`;
 * - the websocket `GET /ws.chatplugin` (chat-socket-hub.ts) fed by a per-process consumer of the
 *   messages topic (message-fan-out.ts);
 * - the router and connector topologies.
 *
 * The token key is `sources.chatplugin.tokenSecret`, else the host's secret `chatplugin-secret`
 * (`<dataDir>/auth/chatplugin-secret`, generated on first start).
 */
import { SourcesError } from '../errors.js';
import type { ProviderDefinition } from '../provider-definition.js';
import { ChatSocketHub } from './chat-socket-hub.js';
import { chatPluginTopics } from './chatplugin-topics.js';
import { channelRoutes } from './channel-routes.js';
import { CHATPLUGIN_APPLICATION_IDS, chatPluginConfigSchema, chatPluginSource, type ChatPluginConfig, type ChatPluginInstance } from './index.js';
import { MessageFanOut } from './message-fan-out.js';
import { visitorRoutes, type ChatPluginCommunication, type ChatPluginRouteContext } from './visitor-routes.js';

/** The websocket path. */
export const CHATPLUGIN_SOCKET_PATH = '/ws.chatplugin';

/** The name of the chat plugin's generated token key among the host's secrets. */
export const CHATPLUGIN_SECRET_NAME = 'chatplugin-secret';

/**
 * The chat plugin provider over the host's communication domain (its read model answers the
 * history and channel routes). SOURCES_CONFIG_INVALID (field `tokenSecret`) when its
 * `tokenSecret` is one of the host's own secrets: chat tokens must never be user JWTs.
 */
export function chatPluginProvider(communication: ChatPluginCommunication): ProviderDefinition<ChatPluginConfig> {
  return {
    name: chatPluginSource.name,
    configSchema: chatPluginConfigSchema,
    register(host, config) {
      if (config.tokenSecret !== undefined && host.isHostSecret(config.tokenSecret)) {
        throw new SourcesError('SOURCES_CONFIG_INVALID', 'tokenSecret must differ from the host\'s auth.jwtSecret: chat tokens must never be user JWTs', { field: 'tokenSecret' });
      }
      let instance: ChatPluginInstance | undefined;
      // The log and the host's secrets are ready only once the host starts: build on first use.
      const chatPlugin = (): ChatPluginInstance =>
        (instance ??= chatPluginSource.create({ config: { ...config, tokenSecret: config.tokenSecret ?? host.secret(CHATPLUGIN_SECRET_NAME) }, log: host.log }));
      let hub: ChatSocketHub | undefined;
      let fanOut: MessageFanOut | undefined;

      const context: ChatPluginRouteContext = {
        config,
        service: () => chatPlugin().service,
        api: communication,
        runtimeAuthenticate: (headers) => host.authenticate(headers),
      };
      const visitor = visitorRoutes(context);
      for (const route of [...visitor, ...channelRoutes(context)]) host.registerRoute(route);
      host.registerCors({ paths: visitor.map((r) => `/${r.name}`), origins: config.allowedOrigins });
      host.registerUpgrade({
        path: CHATPLUGIN_SOCKET_PATH,
        async start({ log, logger }) {
          const service = chatPlugin().service;
          await service.ensureTopics();
          hub = new ChatSocketHub({
            verify: (token) => service.verifyChatToken(token),
            origins: config.allowedOrigins,
            heartbeatMs: config.websocket.heartbeatMs,
            authTimeoutMs: config.websocket.authTimeoutMs,
            logger,
          });
          fanOut = new MessageFanOut({ log, hub, logger });
          await fanOut.start();
        },
        handle: (request, socket, head) => {
          if (hub === undefined) return void socket.destroy();
          hub.handleUpgrade(request, socket, head);
        },
        async stop() {
          await hub?.close();
          await fanOut?.stop();
          hub = undefined;
          fanOut = undefined;
        },
      });
      for (const part of ['router', 'connector'] as const) {
        host.registerTopology({ name: `chatplugin-${part}`, applicationId: CHATPLUGIN_APPLICATION_IDS[part], topics: chatPluginTopics(config.partitions), get: () => chatPlugin()[part] });
      }
    },
  };
}
