/**
 * The WhatsApp Cloud API as the host registers it (`sources.whatsapp`): the webhook
 * `/webhooks/whatsapp` (handshake + signed events), the channel routes, the router and the
 * connector. See README.md in this folder.
 */
import { StreamsBuilder } from '@parley/streams';
import { modelSerdes } from '@parley/communication';
import { GraphClient } from '../meta-graph/index.js';
import type { ProviderDefinition } from '../provider-definition.js';
import { SourceCatalog } from '../source-catalog.js';
import { whatsappChannelRoutes } from './channel-routes.js';
import { addWhatsAppConnector } from './connector.js';
import { whatsappConfigSchema, type WhatsAppConfig } from './whatsapp-config.js';
import { WHATSAPP_SOURCE, whatsappTopics } from './whatsapp-topics.js';
import { addWhatsAppRouter } from './router.js';
import { whatsappWebhook } from './webhook.js';

/** Application ids of the two topologies. */
export const WHATSAPP_APPLICATION_IDS = Object.freeze({ router: 'sources.whatsapp.router', connector: 'sources.whatsapp.connector' });

export const whatsappProvider: ProviderDefinition<WhatsAppConfig> = {
  name: WHATSAPP_SOURCE,
  offUntilConfigured: true,
  configSchema: whatsappConfigSchema,
  register(host, config) {
    let catalog: SourceCatalog | undefined;
    // The log is open only once the host has started: build on first use.
    const channels = () => (catalog ??= new SourceCatalog(host.log, modelSerdes()));
    host.registerWebhook({ provider: WHATSAPP_SOURCE, methods: ['GET', 'POST'], handle: whatsappWebhook(config, () => host.log) });
    for (const route of whatsappChannelRoutes(() => host.log, channels)) host.registerRoute(route);
    const topics = whatsappTopics(config.partitions);
    const topology = (part: 'router' | 'connector', build: (builder: StreamsBuilder) => void, appOptions?: { startFrom: 'latest' }) => {
      const name = `whatsapp-${part}`;
      const applicationId = WHATSAPP_APPLICATION_IDS[part];
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
    topology('router', (builder) => addWhatsAppRouter(builder));
    const resolveChannel = async (id: string) => {
      await channels().refresh();
      return channels().channel(id);
    };
    // Replaying old PENDING records would send stale replies or mark delivered ones FAILED.
    topology('connector', (builder) => addWhatsAppConnector(builder, { graph: new GraphClient(config.graph), maxOutboundAgeMs: config.maxOutboundAgeMs, resolveChannel }), { startFrom: 'latest' });
  },
};
