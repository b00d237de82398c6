/** What `@parley/sources` exports of Viber (one line in the package index). */
export { viberSource } from './index.js';
export type { ViberTestHooks } from './index.js';
export { viberProvider } from './provider.js';
export { viberConfigSchema, VIBER_API_URL, VIBER_MESSAGE_TYPES } from './config.js';
export type { ViberConfig } from './config.js';
export { viberWebhook, viberSignature, verifyViberSignature, VIBER_SIGNATURE_HEADER } from './webhook.js';
export { parseViberEvent, mapConversationEvent, VIBER_EVENT_KINDS, VIBER_SUBSCRIBED_KEY } from './mapping.js';
export type { ViberEvent, ViberStatus } from './mapping.js';
export { addViberRouter, buildViberRouterTopology, VIBER_ROUTER_NAMES } from './topology.js';
export type { ViberDeadLetter, ViberRouterOptions } from './topology.js';
export { addViberConnector, buildViberConnectorTopology, VIBER_CONNECTOR_NAMES } from './connector.js';
export type { ViberConnectorOptions } from './connector.js';
export { callViber, ViberApiError, VIBER_STATUS_RATE_LIMITED } from './viber-api.js';
export { viberChannelRoutes, VIBER_WEBHOOK_EVENT_TYPES } from './channel-routes.js';
export { parseViberJson } from './viber-json.js';
export { VIBER_APPLICATION_IDS, VIBER_DEAD_LETTER_TOPIC, VIBER_EVENTS_TOPIC, VIBER_MESSAGE_TOKENS_TOPIC, VIBER_SOURCE, viberTopics } from './viber-topics.js';
