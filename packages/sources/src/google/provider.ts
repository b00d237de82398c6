/**
 * Google Business Messages as the host registers it: `/webhooks/google` (POST only),
 * `channels.google.connect` and `.disconnect`, the router and the connector. A `sources.google`
 * section without `clientToken` registers nothing (config.ts).
 */
import type { ProviderDefinition } from '../provider-definition.js';
import type { SourceInstance } from '../source-definition.js';
import { googleConfigSchema, isConfigured, type GoogleConfig } from './config.js';
import { googleChannelRoutes } from './channel-routes.js';
import { googleSource } from './index.js';
import { GOOGLE_APPLICATION_IDS, GOOGLE_SOURCE, googleTopics } from './google-topics.js';

export const googleProvider: ProviderDefinition<GoogleConfig> = {
  name: GOOGLE_SOURCE,
  offUntilConfigured: true,
  exampleConfig: {},
  configSchema: googleConfigSchema,
  register(host, config) {
    if (!isConfigured(config)) return;
    let instance: SourceInstance | undefined;
    const google = (): SourceInstance => (instance ??= googleSource.create({ config, log: host.log }));
    host.registerWebhook({ provider: GOOGLE_SOURCE, methods: ['POST'], handle: (request) => google().webhook!(request) });
    for (const route of googleChannelRoutes({ log: () => host.log })) host.registerRoute(route);
    for (const part of ['router', 'connector'] as const) {
      host.registerTopology({ name: `google-${part}`, applicationId: GOOGLE_APPLICATION_IDS[part], topics: googleTopics(config.partitions), get: () => google()[part] });
    }
  },
};
