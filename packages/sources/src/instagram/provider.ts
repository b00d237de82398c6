/**
 * Instagram messaging as the host registers it (`sources.instagram`): the webhook
 * `/webhooks/instagram` (handshake + signed events), the channel routes, the router and the
 * connector. See README.md in this folder.
 */
import { GraphClient } from '../meta-graph/index.js';
import { registerMetaProvider } from '../meta-graph/register-meta-provider.js';
import type { ProviderDefinition } from '../provider-definition.js';
import { instagramChannelRoutes } from './channel-routes.js';
import { addInstagramConnector } from './connector.js';
import { instagramConfigSchema, type InstagramConfig } from './instagram-config.js';
import { INSTAGRAM_SOURCE, instagramTopics } from './instagram-topics.js';
import { addInstagramRouter } from './router.js';
import { instagramWebhook } from './webhook.js';

/** Application ids of the two topologies. */
export const INSTAGRAM_APPLICATION_IDS = Object.freeze({ router: 'sources.instagram.router', connector: 'sources.instagram.connector' });

export const instagramProvider: ProviderDefinition<InstagramConfig> = {
  name: INSTAGRAM_SOURCE,
  offUntilConfigured: true,
  exampleConfig: { appSecret: '0123456789abcdef0123456789abcdef', verifyToken: 'my-verify-token' },
  configSchema: instagramConfigSchema,
  register(host, config) {
    registerMetaProvider(host, {
      source: INSTAGRAM_SOURCE,
      applicationIds: INSTAGRAM_APPLICATION_IDS,
      topics: instagramTopics(config.partitions),
      webhook: (log) => instagramWebhook(config, log),
      channelRoutes: instagramChannelRoutes,
      addRouter: (builder) => addInstagramRouter(builder),
      addConnector: (builder, resolveChannel) => addInstagramConnector(builder, { graph: new GraphClient(config.graph), maxOutboundAgeMs: config.maxOutboundAgeMs, resolveChannel }),
    });
  },
};
