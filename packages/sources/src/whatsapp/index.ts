/** The WhatsApp Cloud API: the provider and its parts (see README.md in this folder). */
export { whatsappProvider, WHATSAPP_APPLICATION_IDS } from './provider.js';
export { whatsappConfigSchema, type WhatsAppConfig } from './whatsapp-config.js';
export { WHATSAPP_DEAD_LETTER_TOPIC, WHATSAPP_EVENTS_TOPIC, WHATSAPP_SENT_TOPIC, WHATSAPP_SOURCE, whatsappTopics } from './whatsapp-topics.js';
export { whatsappWebhook } from './webhook.js';
export { mapWhatsAppWebhook, parseWhatsAppEnvelope, whatsappEnvelopeSchema, whatsappMessageId, type WhatsAppDeadLetter, type WhatsAppItem, type WhatsAppStatus } from './mapping.js';
export { addWhatsAppRouter, buildWhatsAppRouterTopology, WHATSAPP_ROUTER_NAMES } from './router.js';
export { addWhatsAppConnector, buildWhatsAppConnectorTopology, WHATSAPP_CONNECTOR_NAMES, type WhatsAppConnectorOptions } from './connector.js';
export { whatsappChannelRoutes } from './channel-routes.js';
