/**
 * Google Business Messages as a SourceDefinition (shut down by Google on 2024-07-31; built to its
 * documented contract, see README.md): webhook.ts, topology.ts, connector.ts; provider.ts
 * registers them with channel-routes.ts.
 */
import { StreamsBuilder } from '@parley/streams';
import { modelSerdes } from '@parley/communication';
import type { SourceDefinition, SourceInstance } from '../source-definition.js';
import { SourceCatalog } from '../source-catalog.js';
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
    const topics = googleTopics(config.partitions);
    const catalog = new SourceCatalog(log, modelSerdes());
    return {
      webhook: googleWebhook({ config, log: () => log, ...(clock === undefined ? {} : { clock }) }),
      router: {
        name: 'google-router',
        applicationId: GOOGLE_APPLICATION_IDS.router,
        topics,
        build: () => {
          const builder = new StreamsBuilder();
          addGoogleRouter(builder, { serdes: modelSerdes() });
          return builder.build();
        },
      },
      connector: {
        name: 'google-connector',
        applicationId: GOOGLE_APPLICATION_IDS.connector,
        topics,
        build: () => {
          const builder = new StreamsBuilder();
          const resolveChannel = async (id: string) => {
            await catalog.refresh();
            return catalog.channel(id);
          };
          addGoogleConnector(builder, { config, serdes: modelSerdes(), resolveChannel, ...hooks.connector });
          return builder.build();
        },
        appOptions: { startFrom: 'latest' },
      },
    };
  },
};
