/**
 * Serves the website chat plugin (`@parley/sources`' chatPluginSource) from a runtime, through
 * its public registration functions:
 *
 * - visitor routes `chatplugin.authenticate`, `.send`, `.messages`, `.resume-token` (chat tokens,
 *   see chat-token-auth.ts), open to pages of `sources.chatplugin.allowedOrigins` (CORS);
 * - management routes `channels.chatplugin.connect`, `.update`, `.disconnect`;
 * - the websocket `GET /ws.chatplugin` (chat-socket-hub.ts) fed by a per-process consumer of the
 *   messages topic (message-fan-out.ts);
 * - the router and connector topologies.
 *
 * The token key is `sources.chatplugin.tokenSecret`, else `<dataDir>/auth/chatplugin-secret`
 * (generated on first start). Enabled unless `sources.chatplugin.enabled` is false.
 */
import { CHATPLUGIN_APPLICATION_IDS, chatPluginSource, chatPluginTopics, resolveSourceConfig, type ChatPluginInstance } from '@parley/sources';
import type { CommunicationApi } from '../api/communication/communication-api.js';
import { RuntimeError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { lazySourceTopology } from '../sources/lazy-source-topology.js';
import { ChatSocketHub } from './chat-socket-hub.js';
import { loadChatPluginSecret } from './chatplugin-secret.js';
import { channelRoutes } from './channel-routes.js';
import { MessageFanOut } from './message-fan-out.js';
import { visitorRoutes, type ChatPluginRouteContext } from './visitor-routes.js';

/** The websocket path. */
export const CHATPLUGIN_SOCKET_PATH = '/ws.chatplugin';

export interface RegisterChatPluginOptions {
  /** The communication endpoints' shared state (its read model answers the history). */
  communication: CommunicationApi;
  /** Register the router and connector topologies too. Default true. */
  topologies?: boolean;
}

/** What registerChatPlugin returns: the parts, available once the runtime has started. */
export interface ChatPluginHandle {
  /** The source instance (its service: channels, tokens, sends). */
  instance(): ChatPluginInstance;
  /** The websocket hub; undefined before start and after stop. */
  hub(): ChatSocketHub | undefined;
}

/**
 * Registers the chat plugin on `runtime` (before `start()`); `sources.chatplugin` is validated
 * by `chatPluginConfigSchema` here (SOURCES_CONFIG_INVALID). RUNTIME_CONFIG_INVALID when its
 * `tokenSecret` is the runtime's `auth.jwtSecret`.
 */
export function registerChatPlugin(runtime: Runtime, options: RegisterChatPluginOptions): ChatPluginHandle {
  const { enabled = true, ...section } = (runtime.config.sources.chatplugin ?? {}) as { enabled?: boolean };
  const config = resolveSourceConfig(chatPluginSource, section);
  if (config.tokenSecret !== undefined && config.tokenSecret === runtime.config.auth.jwtSecret) {
    throw new RuntimeError('RUNTIME_CONFIG_INVALID', 'sources.chatplugin.tokenSecret must differ from auth.jwtSecret: chat tokens must never be user JWTs', { field: 'sources.chatplugin.tokenSecret' });
  }
  let instance: ChatPluginInstance | undefined;
  // The log and the data directory are ready only once the runtime starts: build on first use.
  const chatPlugin = (): ChatPluginInstance =>
    (instance ??= chatPluginSource.create({ config: { ...config, tokenSecret: loadChatPluginSecret(runtime.dataDir, config.tokenSecret) }, log: runtime.log }));
  let hub: ChatSocketHub | undefined;
  let fanOut: MessageFanOut | undefined;
  const handle: ChatPluginHandle = { instance: chatPlugin, hub: () => hub };
  if (!enabled) return handle;

  const context: ChatPluginRouteContext = {
    config,
    service: () => chatPlugin().service,
    api: options.communication,
    runtimeAuthenticate: (headers) => runtime.authenticate(headers),
  };
  const visitor = visitorRoutes(context);
  for (const route of [...visitor, ...channelRoutes(context)]) runtime.registerRoute(route);
  runtime.registerCors({ paths: visitor.map((r) => `/${r.name}`), origins: config.allowedOrigins });
  runtime.registerUpgrade({
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
  if (options.topologies !== false) {
    for (const part of ['router', 'connector'] as const) {
      runtime.registerTopology(
        lazySourceTopology({ name: `chatplugin-${part}`, applicationId: CHATPLUGIN_APPLICATION_IDS[part], topics: chatPluginTopics(config.partitions), get: () => chatPlugin()[part] }),
      );
    }
  }
  return handle;
}

