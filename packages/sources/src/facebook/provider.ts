/**
 * Facebook Messenger as the host registers it (`sources.facebook`): the webhook
 * `/webhooks/facebook` (handshake + signed events), the channel routes, the router and the
 * connector. See README.md in this folder.
 */
import { GraphClient } from '../meta-graph/index.js';
import { registerMetaProvider } from '../meta-graph/register-meta-provider.js';
import type { ProviderDefinition } from '../provider-definition.js';
import { facebookChannelRoutes } from './channel-routes.js';
import { addFacebookConnector } from './connector.js';
import { facebookConfigSchema, type FacebookConfig } from './facebook-config.js';
import { FACEBOOK_SOURCE, facebookTopics } from './facebook-topics.js';
import { addFacebookRouter } from './router.js';
import { facebookWebhook } from './webhook.js';

/** Application ids of the two topologies. */
export const FACEBOOK_APPLICATION_IDS = Object.freeze({ router: 'sources.facebook.router', connector: 'sources.facebook.connector' });

export const facebookProvider: ProviderDefinition<FacebookConfig> = {
  name: FACEBOOK_SOURCE,
  offUntilConfigured: true,
  refetchesContacts: [FACEBOOK_SOURCE],
  exampleConfig: { appId: '1234567890', appSecret: '0123456789abcdef0123456789abcdef', verifyToken: 'my-verify-token' },
  configSchema: facebookConfigSchema,
  register(host, config) {
    const graph = new GraphClient(config.graph);
    registerMetaProvider(host, {
      source: FACEBOOK_SOURCE,
      applicationIds: FACEBOOK_APPLICATION_IDS,
      topics: facebookTopics(config.partitions),
      webhook: (log) => facebookWebhook(config, log),
      channelRoutes: (log, catalog) => facebookChannelRoutes(log, catalog, graph),
      addRouter: (builder) => addFacebookRouter(builder, { appId: config.appId }),
      addConnector: (builder, resolveChannel) => addFacebookConnector(builder, { graph, maxOutboundAgeMs: config.maxOutboundAgeMs, resolveChannel }),
    });
  },
};
