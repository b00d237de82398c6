/**
 * Viber as the host registers it: the webhook `/webhooks/viber` (POST only), the routes
 * `channels.viber.connect` and `.disconnect`, and the router and connector topologies. A
 * `sources.viber` section without `authToken` registers nothing (config.ts).
 */
import type { ProviderDefinition } from '../provider-definition.js';
import type { SourceInstance } from '../source-definition.js';
import { isConfigured, viberConfigSchema, type ViberConfig } from './config.js';
import { viberChannelRoutes } from './channel-routes.js';
import { viberSource } from './index.js';
import { VIBER_APPLICATION_IDS, VIBER_SOURCE, viberTopics } from './viber-topics.js';

export const viberProvider: ProviderDefinition<ViberConfig> = {
  name: VIBER_SOURCE,
  offUntilConfigured: true,
  exampleConfig: {},
  configSchema: viberConfigSchema,
  register(host, config) {
    if (!isConfigured(config)) return;
    let instance: SourceInstance | undefined;
    // The log is open only once the host has started: build the instance on first use.
    const viber = (): SourceInstance => (instance ??= viberSource.create({ config, log: host.log }));
    host.registerWebhook({ provider: VIBER_SOURCE, methods: ['POST'], handle: (request) => viber().webhook!(request) });
    for (const route of viberChannelRoutes({ config, log: () => host.log })) host.registerRoute(route);
    for (const part of ['router', 'connector'] as const) {
      host.registerTopology({ name: `viber-${part}`, applicationId: VIBER_APPLICATION_IDS[part], topics: viberTopics(config.partitions), get: () => viber()[part] });
    }
  },
};
