/** Facebook Messenger: the provider and its parts (see README.md in this folder). */
export { facebookProvider, FACEBOOK_APPLICATION_IDS } from './provider.js';
export { facebookConfigSchema, type FacebookConfig } from './facebook-config.js';
export { FACEBOOK_DEAD_LETTER_TOPIC, FACEBOOK_EVENTS_TOPIC, FACEBOOK_SENT_MIDS_TOPIC, FACEBOOK_SOURCE, facebookTopics } from './facebook-topics.js';
export { facebookWebhook } from './webhook.js';
export { facebookEnvelopeSchema, mapFacebookWebhook, parseFacebookEnvelope, MAX_ENTRIES as FACEBOOK_MAX_ENTRIES, type FacebookDeadLetter, type FacebookItem } from './mapping.js';
export { addFacebookRouter, buildFacebookRouterTopology, FACEBOOK_ROUTER_NAMES, type FacebookRouterOptions } from './router.js';
export { addFacebookConnector, buildFacebookConnectorTopology, FACEBOOK_CONNECTOR_NAMES, type FacebookConnectorOptions } from './connector.js';
export { facebookChannelRoutes } from './channel-routes.js';
