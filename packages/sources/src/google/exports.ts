/** What `@parley/sources` exports of Google Business Messages (one line in the package index). */
export { googleSource } from './index.js';
export type { GoogleTestHooks } from './index.js';
export { googleProvider } from './provider.js';
export { googleConfigSchema, GOOGLE_API_URL, GOOGLE_SCOPE, GOOGLE_TOKEN_URL } from './config.js';
export type { GoogleConfig } from './config.js';
export { googleWebhook, googleSignature, verifyGoogleSignature, GOOGLE_SIGNATURE_HEADER } from './webhook.js';
export { agentIdOf, mapGoogleEvent, parseGoogleEvent, googleEventSchema, POSTBACK_HEADER } from './mapping.js';
export type { GoogleEvent } from './mapping.js';
export { addGoogleRouter, buildGoogleRouterTopology, GOOGLE_ROUTER_NAMES } from './topology.js';
export type { GoogleDeadLetter, GoogleRouterOptions } from './topology.js';
export { addGoogleConnector, buildGoogleConnectorTopology, GOOGLE_CONNECTOR_NAMES } from './connector.js';
export type { GoogleConnectorOptions } from './connector.js';
export { GoogleApiError, GoogleMessagesClient } from './google-api.js';
export { fakeGoogleServiceAccount, startFakeBusinessMessages } from './fake-business-messages.js';
export type { FakeBusinessMessages } from './fake-business-messages.js';
export { googleChannelRoutes } from './channel-routes.js';
export { GOOGLE_APPLICATION_IDS, GOOGLE_DEAD_LETTER_TOPIC, GOOGLE_EVENTS_TOPIC, GOOGLE_SOURCE, googleTopics } from './google-topics.js';
