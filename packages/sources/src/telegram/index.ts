/** Telegram (`telegram`): a bot's private chats. See README.md in this folder. */
export { telegramProvider } from './provider.js';
export { telegramConfigSchema, botIdOf, TELEGRAM, TELEGRAM_APPLICATION_IDS, TELEGRAM_DEAD_LETTER_TOPIC, TELEGRAM_EVENTS_TOPIC } from './telegram-config.js';
export type { TelegramConfig } from './telegram-config.js';
export { telegramWebhook } from './webhook.js';
export { parseTelegramUpdate } from './mapping.js';
export type { TelegramMessageEvent } from './mapping.js';
export { buildTelegramRouterTopology, TELEGRAM_ROUTER_NAMES } from './topology.js';
export type { TelegramDeadLetter } from './topology.js';
export { buildTelegramConnectorTopology, telegramSend, TELEGRAM_CONNECTOR_NAMES } from './connector.js';
export type { TelegramConnectorOptions } from './connector.js';
export { telegramChannelRoutes, TELEGRAM_ALLOWED_UPDATES } from './channel-routes.js';
export { callTelegram, TelegramApiError } from './telegram-api.js';
export { FakeTelegramApi } from './fake-telegram-api.js';
