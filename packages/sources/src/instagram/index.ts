/** Instagram messaging: the provider and its parts (see README.md in this folder). */
export { instagramProvider, INSTAGRAM_APPLICATION_IDS } from './provider.js';
export { instagramConfigSchema, type InstagramConfig } from './instagram-config.js';
export { INSTAGRAM_DEAD_LETTER_TOPIC, INSTAGRAM_EVENTS_TOPIC, INSTAGRAM_SENT_MIDS_TOPIC, INSTAGRAM_SOURCE, instagramTopics } from './instagram-topics.js';
export { instagramWebhook } from './webhook.js';
export { instagramEnvelopeSchema, mapInstagramWebhook, parseInstagramEnvelope, type InstagramDeadLetter, type InstagramItem } from './mapping.js';
export { addInstagramRouter, buildInstagramRouterTopology, INSTAGRAM_ROUTER_NAMES } from './router.js';
export { addInstagramConnector, buildInstagramConnectorTopology, INSTAGRAM_CONNECTOR_NAMES, type InstagramConnectorOptions } from './connector.js';
export { instagramChannelRoutes } from './channel-routes.js';
