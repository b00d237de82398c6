/** The Telegram provider (`sources.telegram`): webhook, router, connector, channel routes. See README.md. */
import { modelSerdes } from '@parley/communication';
import type { ProviderDefinition } from '../provider-definition.js';
import { SourceCatalog } from '../source-catalog.js';
import { sourceTopics } from '../source-topics.js';
import { telegramChannelRoutes } from './channel-routes.js';
import { buildTelegramConnectorTopology } from './connector.js';
import { botIdOf, TELEGRAM, TELEGRAM_APPLICATION_IDS, TELEGRAM_DEAD_LETTER_TOPIC, TELEGRAM_EVENTS_TOPIC, telegramConfigSchema, type TelegramConfig } from './telegram-config.js';
import { buildTelegramRouterTopology } from './topology.js';
import { telegramWebhook } from './webhook.js';

export const telegramProvider: ProviderDefinition<TelegramConfig> = {
  name: TELEGRAM,
  configSchema: telegramConfigSchema,
  offUntilConfigured: true, // it needs a bot token
  exampleConfig: { botToken: '123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ', secretToken: 'my-telegram-secret-token', publicUrl: 'https://parley.example/webhooks/telegram' },
  register(host, config) {
    const log = () => host.log;
    host.registerWebhook(telegramWebhook(config, log));
    for (const route of telegramChannelRoutes(config, log)) host.registerRoute(route);
    const topics = sourceTopics([TELEGRAM_EVENTS_TOPIC, TELEGRAM_DEAD_LETTER_TOPIC], config.partitions);
    const router = { name: 'telegram-router', applicationId: TELEGRAM_APPLICATION_IDS.router, topics };
    host.registerTopology({ ...router, get: () => ({ ...router, build: () => buildTelegramRouterTopology(botIdOf(config.botToken)) }) });
    const connector = { name: 'telegram-connector', applicationId: TELEGRAM_APPLICATION_IDS.connector, topics };
    // Replaying old PENDING records would send long-answered messages again: start at the end.
    host.registerTopology({ ...connector, get: () => ({ ...connector, build: () => {
      const catalog = new SourceCatalog(host.log, modelSerdes());
      const resolveChannel = async (id: string) => {
        await catalog.refresh();
        return catalog.channel(id);
      };
      return buildTelegramConnectorTopology({ config, resolveChannel });
    }, appOptions: { startFrom: 'latest' } }) });
  },
};
