/**
 * The two Twilio providers, `twilio-sms` and `twilio-whatsapp` (sources `twilio.sms`,
 * `twilio.whatsapp`): webhook, router, connector and channel routes of one kind each, built from
 * the same parts. See README.md in this folder.
 */
import { modelSerdes } from '@parley/communication';
import type { ProviderDefinition } from '../provider-definition.js';
import { SourceCatalog } from '../source-catalog.js';
import { twilioChannelRoutes } from './channel-routes.js';
import { twilioConfigSchema, type TwilioConfig } from './twilio-config.js';
import { buildTwilioConnectorTopology } from './connector.js';
import { TWILIO_NAMES, twilioTopics, type TwilioKind } from './twilio-names.js';
import { buildTwilioRouterTopology } from './topology.js';
import { twilioWebhook } from './webhook.js';

/** Test hooks: the connector's fetch and clock. */
export interface TwilioProviderHooks {
  fetch?: typeof fetch;
  clock?: () => number;
}

export function twilioProvider(kind: TwilioKind, hooks: TwilioProviderHooks = {}): ProviderDefinition<TwilioConfig> {
  const names = TWILIO_NAMES[kind];
  return {
    name: names.provider,
    configSchema: twilioConfigSchema,
    offUntilConfigured: true, // it needs an account: runs only once `sources.<name>` is configured
    exampleConfig: { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: '0123456789abcdef0123456789abcdef', publicUrl: `https://parley.example/webhooks/${names.provider}` },
    register(host, config) {
      const log = () => host.log; // open only once the host has started
      host.registerWebhook(twilioWebhook(names, config, log));
      for (const route of twilioChannelRoutes(names, log)) host.registerRoute(route);
      const topics = twilioTopics(names, config.partitions);
      host.registerTopology({
        name: `${names.provider}-router`,
        applicationId: names.applicationIds.router,
        topics,
        get: () => ({ name: `${names.provider}-router`, applicationId: names.applicationIds.router, topics, build: () => buildTwilioRouterTopology(names) }),
      });
      host.registerTopology({
        name: `${names.provider}-connector`,
        applicationId: names.applicationIds.connector,
        topics,
        get: () => ({
          name: `${names.provider}-connector`,
          applicationId: names.applicationIds.connector,
          topics,
          build: () => {
            const catalog = new SourceCatalog(host.log, modelSerdes());
            const resolveChannel = async (id: string) => {
              await catalog.refresh();
              return catalog.channel(id);
            };
            return buildTwilioConnectorTopology(names, { config, resolveChannel, ...hooks });
          },
          // Replaying old PENDING records would send long-answered messages again: start at the end.
          appOptions: { startFrom: 'latest' },
        }),
      });
    },
  };
}

export const twilioSmsProvider = twilioProvider('sms');
export const twilioWhatsAppProvider = twilioProvider('whatsapp');
