/**
 * Google Business Messages as a SourceDefinition (shut down by Google on 2024-07-31; built to its
 * documented contract, see README.md): webhook.ts, topology.ts, connector.ts; provider.ts
 * registers them with channel-routes.ts.
 */
import { modelSerdes } from '@parley/communication';
import { providerSourceInstance } from '../provider-source-instance.js';
import type { SourceDefinition, SourceInstance } from '../source-definition.js';
import { googleConfigSchema, isConfigured, type GoogleConfig } from './config.js';
import { addGoogleConnector, type GoogleConnectorOptions } from './connector.js';
import { addGoogleRouter } from './topology.js';
import { GOOGLE_APPLICATION_IDS, GOOGLE_EVENTS_TOPIC, GOOGLE_SOURCE, googleTopics } from './google-topics.js';
import { googleWebhook } from './webhook.js';

export interface GoogleTestHooks {
  connector?: Pick<GoogleConnectorOptions, 'fetch' | 'clock'>;
}

export const googleSource: SourceDefinition<GoogleConfig> & {
  createWith(context: Parameters<SourceDefinition<GoogleConfig>['create']>[0], hooks: GoogleTestHooks): SourceInstance;
} = {
  name: GOOGLE_SOURCE,
  configSchema: googleConfigSchema,
  eventsTopic: GOOGLE_EVENTS_TOPIC,
  create(context) {
    return this.createWith(context, {});
  },
  createWith({ config, log, clock }, hooks) {
    if (!isConfigured(config)) throw new TypeError('googleSource.create needs config.clientToken and config.serviceAccount');
    return providerSourceInstance({
      source: GOOGLE_SOURCE,
      applicationIds: GOOGLE_APPLICATION_IDS,
      topics: googleTopics(config.partitions),
      log,
      webhook: googleWebhook({ config, log: () => log, ...(clock === undefined ? {} : { clock }) }),
      addRouter: (builder) => addGoogleRouter(builder, { serdes: modelSerdes() }),
      addConnector: (builder, resolveChannel) => addGoogleConnector(builder, { config, serdes: modelSerdes(), resolveChannel, ...hooks.connector }),
    });
  },
};
