/**
 * The WhatsApp Cloud API as the host registers it (`sources.whatsapp`): the webhook
 * `/webhooks/whatsapp` (handshake + signed events), the channel routes, the router and the
 * connector. See README.md in this folder.
 */
import { GraphClient } from '../meta-graph/index.js';
import { registerMetaProvider } from '../meta-graph/register-meta-provider.js';
import type { ProviderDefinition } from '../provider-definition.js';
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
  exampleConfig: { appSecret: '0123456789abcdef0123456789abcdef', verifyToken: 'my-verify-token' },
  configSchema: whatsappConfigSchema,
  register(host, config) {
    registerMetaProvider(host, {
      source: WHATSAPP_SOURCE,
      applicationIds: WHATSAPP_APPLICATION_IDS,
      topics: whatsappTopics(config.partitions),
      webhook: (log) => whatsappWebhook(config, log),
      channelRoutes: whatsappChannelRoutes,
      addRouter: (builder) => addWhatsAppRouter(builder),
      addConnector: (builder, resolveChannel) => addWhatsAppConnector(builder, { graph: new GraphClient(config.graph), maxOutboundAgeMs: config.maxOutboundAgeMs, resolveChannel }),
    });
  },
};
