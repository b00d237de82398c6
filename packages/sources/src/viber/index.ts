/**
 * Viber (REST Bot API) as a SourceDefinition: the signed webhook (webhook.ts), the router
 * (topology.ts) and the connector (connector.ts) of one bot account. The host registration is in
 * provider.ts, the channel routes in channel-routes.ts. See README.md in this folder.
 */
import { StreamsBuilder } from '@parley/streams';
import { modelSerdes } from '@parley/communication';
import type { SourceDefinition, SourceInstance } from '../source-definition.js';
import { SourceCatalog } from '../source-catalog.js';
import { isConfigured, viberConfigSchema, type ViberConfig } from './config.js';
import { addViberConnector, type ViberConnectorOptions } from './connector.js';
import { addViberRouter } from './topology.js';
import { VIBER_APPLICATION_IDS, VIBER_EVENTS_TOPIC, VIBER_SOURCE, viberTopics } from './viber-topics.js';
import { viberWebhook } from './webhook.js';

/** Test hooks: the connector's fetch and clock. */
export interface ViberTestHooks {
  connector?: Pick<ViberConnectorOptions, 'fetch' | 'clock'>;
}

export const viberSource: SourceDefinition<ViberConfig> & {
  createWith(context: Parameters<SourceDefinition<ViberConfig>['create']>[0], hooks: ViberTestHooks): SourceInstance;
} = {
  name: VIBER_SOURCE,
  configSchema: viberConfigSchema,
  eventsTopic: VIBER_EVENTS_TOPIC,
  create(context) {
    return this.createWith(context, {});
  },
  createWith({ config, log, clock }, hooks) {
    if (!isConfigured(config)) throw new TypeError('viberSource.create needs config.authToken and config.webhookUrl');
    const topics = viberTopics(config.partitions);
    const catalog = new SourceCatalog(log, modelSerdes());
    return {
      webhook: viberWebhook({ config, log: () => log, ...(clock === undefined ? {} : { clock }) }),
      router: {
        name: 'viber-router',
        applicationId: VIBER_APPLICATION_IDS.router,
        topics,
        build: () => {
          const builder = new StreamsBuilder();
          addViberRouter(builder, { serdes: modelSerdes() });
          return builder.build();
        },
      },
      connector: {
        name: 'viber-connector',
        applicationId: VIBER_APPLICATION_IDS.connector,
        topics,
        build: () => {
          const builder = new StreamsBuilder();
          const resolveChannel = async (id: string) => {
            await catalog.refresh();
            return catalog.channel(id);
          };
          addViberConnector(builder, { config, serdes: modelSerdes(), resolveChannel, ...hooks.connector });
          return builder.build();
        },
        // Replaying old PENDING records would send stale replies or fail them: a new connector starts at the end.
        appOptions: { startFrom: 'latest' },
      },
    };
  },
};
