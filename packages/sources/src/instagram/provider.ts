/**
 * Instagram messaging as the host registers it (`sources.instagram`): the webhook
 * `/webhooks/instagram` (handshake + signed events), the channel routes, the router and the
 * connector. See README.md in this folder.
 */
import { StreamsBuilder } from '@parley/streams';
import { modelSerdes } from '@parley/communication';
import { GraphClient } from '../meta-graph/index.js';
import type { ProviderDefinition } from '../provider-definition.js';
import { SourceCatalog } from '../source-catalog.js';
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
  configSchema: instagramConfigSchema,
  register(host, config) {
    let catalog: SourceCatalog | undefined;
    // The log is open only once the host has started: build on first use.
    const channels = () => (catalog ??= new SourceCatalog(host.log, modelSerdes()));
    host.registerWebhook({ provider: INSTAGRAM_SOURCE, methods: ['GET', 'POST'], handle: instagramWebhook(config, () => host.log) });
    for (const route of instagramChannelRoutes(() => host.log, channels)) host.registerRoute(route);
    const topics = instagramTopics(config.partitions);
    const topology = (part: 'router' | 'connector', build: (builder: StreamsBuilder) => void, appOptions?: { startFrom: 'latest' }) => {
      const name = `instagram-${part}`;
      const applicationId = INSTAGRAM_APPLICATION_IDS[part];
      host.registerTopology({
        name,
        applicationId,
        topics,
        get: () => ({
          name,
          applicationId,
          topics,
          build: () => {
            const builder = new StreamsBuilder();
            build(builder);
            return builder.build();
          },
          ...(appOptions === undefined ? {} : { appOptions }),
        }),
      });
    };
    topology('router', (builder) => addInstagramRouter(builder));
    const resolveChannel = async (id: string) => {
      await channels().refresh();
      return channels().channel(id);
    };
    // Replaying old PENDING records would send stale replies or mark delivered ones FAILED.
    topology('connector', (builder) => addInstagramConnector(builder, { graph: new GraphClient(config.graph), maxOutboundAgeMs: config.maxOutboundAgeMs, resolveChannel }), { startFrom: 'latest' });
  },
};
