import type { AnyRouteDefinition } from '../../http/route-definition.js';
import type { Runtime } from '../../runtime.js';
import { channelRoutes } from './channel-routes.js';
import { CommunicationApi, type CommunicationApiOptions } from './communication-api.js';
import { contactRoutes } from './contact-routes.js';
import { conversationCommandRoutes } from './conversation-command-routes.js';
import { conversationQueryRoutes } from './conversation-query-routes.js';
import { messageRoutes } from './message-routes.js';
import { metadataRoutes } from './metadata-routes.js';
import { refetchRoutes } from './refetch-route.js';
import { suggestRoutes } from './suggest-routes.js';
import { tagRoutes } from './tag-routes.js';
import { templateRoutes } from './template-routes.js';

/**
 * Registers the communication model on `runtime` (before `start()`): the communication topology
 * (its read model attached once the app runs; on Kafka also its per-instance replica) and the
 * Core API endpoints — conversations.*, messages.*, metadata.upsert, channels.*, tags.*,
 * templates.*, contacts.*. Every request first brings the read model up to what is acknowledged
 * (on Kafka), and every write waits (bounded) for the read model to show it before answering.
 */
export function registerCommunication(runtime: Runtime, options: CommunicationApiOptions = {}): CommunicationApi {
  const api = new CommunicationApi({ replica: runtime.config.log.backend === 'kafka', ...options });
  for (const definition of api.definitions) runtime.registerTopology(definition);
  const routes = [
    ...conversationQueryRoutes(api),
    ...conversationCommandRoutes(api),
    ...messageRoutes(api),
    ...metadataRoutes(api),
    ...channelRoutes(api),
    ...tagRoutes(api),
    ...templateRoutes(api),
    ...contactRoutes(api),
    ...suggestRoutes(api),
    ...refetchRoutes(api),
  ];
  for (const route of routes) runtime.registerRoute(readingFirst(api, route));
  return api;
}

/** The route with `api.beforeRead` run before its handler. */
function readingFirst(api: CommunicationApi, route: AnyRouteDefinition): AnyRouteDefinition {
  return {
    ...route,
    handler: async (ctx, body) => {
      await api.beforeRead(ctx);
      return route.handler(ctx, body);
    },
  } as AnyRouteDefinition;
}
