/**
 * Facebook Messenger as the host registers it (`sources.facebook`): the webhook
 * `/webhooks/facebook` (handshake + signed events), the channel routes, the router and the
 * connector. See README.md in this folder.
 */
import { StreamsBuilder } from '@parley/streams';
import { modelSerdes } from '@parley/communication';
import type { ProviderDefinition } from '../provider-definition.js';
import { SourceCatalog } from '../source-catalog.js';
import { facebookChannelRoutes } from './channel-routes.js';
import { addFacebookConnector } from './connector.js';
import { facebookConfigSchema, type FacebookConfig } from './facebook-config.js';
import { FACEBOOK_SOURCE, facebookTopics } from './facebook-topics.js';
import { GraphClient } from '../meta-graph/index.js';
import { addFacebookRouter } from './router.js';
import { facebookWebhook } from './webhook.js';

/** Application ids of the two topologies. */
export const FACEBOOK_APPLICATION_IDS = Object.freeze({ router: 'sources.facebook.router', connector: 'sources.facebook.connector' });

export const facebookProvider: ProviderDefinition<FacebookConfig> = {
  name: FACEBOOK_SOURCE,
  offUntilConfigured: true,
  configSchema: facebookConfigSchema,
  register(host, config) {
    let catalog: SourceCatalog | undefined;
    // The log is open only once the host has started: build on first use.
    const channels = () => (catalog ??= new SourceCatalog(host.log, modelSerdes()));
    host.registerWebhook({ provider: FACEBOOK_SOURCE, methods: ['GET', 'POST'], handle: facebookWebhook(config, () => host.log) });
    for (const route of facebookChannelRoutes(() => host.log, channels)) host.registerRoute(route);
    const topics = facebookTopics(config.partitions);
    host.registerTopology({
      name: 'facebook-router',
      applicationId: FACEBOOK_APPLICATION_IDS.router,
      topics,
      get: () => ({
        name: 'facebook-router',
        applicationId: FACEBOOK_APPLICATION_IDS.router,
        topics,
        build: () => {
          const builder = new StreamsBuilder();
          addFacebookRouter(builder, { appId: config.appId });
          return builder.build();
        },
      }),
    });
    host.registerTopology({
      name: 'facebook-connector',
      applicationId: FACEBOOK_APPLICATION_IDS.connector,
      topics,
      get: () => ({
        name: 'facebook-connector',
        applicationId: FACEBOOK_APPLICATION_IDS.connector,
        topics,
        build: () => {
          const builder = new StreamsBuilder();
          const graph = new GraphClient(config.graph);
          const resolveChannel = async (id: string) => {
            await channels().refresh();
            return channels().channel(id);
          };
          addFacebookConnector(builder, { graph, maxOutboundAgeMs: config.maxOutboundAgeMs, resolveChannel });
          return builder.build();
        },
        // Replaying old PENDING records would send stale replies or mark delivered ones FAILED.
        appOptions: { startFrom: 'latest' },
      }),
    });
  },
};
