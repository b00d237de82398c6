/**
 * Viber (REST Bot API) as a SourceDefinition: the signed webhook (webhook.ts), the router
 * (topology.ts) and the connector (connector.ts) of one bot account. The host registration is in
 * provider.ts, the channel routes in channel-routes.ts. See README.md in this folder.
 */
import { modelSerdes } from '@parley/communication';
import { providerSourceInstance } from '../provider-source-instance.js';
import type { SourceDefinition, SourceInstance } from '../source-definition.js';
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
    return providerSourceInstance({
      source: VIBER_SOURCE,
      applicationIds: VIBER_APPLICATION_IDS,
      topics: viberTopics(config.partitions),
      log,
      webhook: viberWebhook({ config, log: () => log, ...(clock === undefined ? {} : { clock }) }),
      addRouter: (builder) => addViberRouter(builder, { serdes: modelSerdes() }),
      addConnector: (builder, resolveChannel) => addViberConnector(builder, { config, serdes: modelSerdes(), resolveChannel, ...hooks.connector }),
    });
  },
};
