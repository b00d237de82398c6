/**
 * `@parley/sources`: the provider contract (SourceDefinition: webhook → raw topic → router →
 * connector; ProviderDefinition: how a host registers a provider) and the host interface the
 * runtime implements; one folder per provider: custom sources (the Source API), the chat plugin.
 */

// Errors
export { SourcesError, isSourcesError, SOURCES_ERROR_CODES } from './errors.js';
export type { SourcesErrorCode, SourcesErrorOptions } from './errors.js';

// The contract
export { resolveSourceConfig } from './source-definition.js';
export type {
  SourceContext,
  SourceDefinition,
  SourceInstance,
  SourceTopology,
  WebhookHandler,
  WebhookHeaders,
  WebhookRequest,
  WebhookResponse,
} from './source-definition.js';
export {
  DEFAULT_TOLERANCE_SECONDS,
  decodeSigningSecret,
  encodeSigningSecret,
  signStandardWebhook,
  verifyStandardWebhook,
} from './standard-webhooks.js';
export type { SignOptions, VerifyOptions } from './standard-webhooks.js';
export { bearerToken } from './bearer-token.js';

// The provider contract as hosts register it, and the host interface
export { resolveProviderSection } from './provider-definition.js';
export type { AnyProviderDefinition, ProviderDefinition, ProviderSection } from './provider-definition.js';
export { defineRoute } from './host/route-definition.js';
export type { AnyRouteDefinition, RequestHeaders, MultipartForm, RouteAuthentication, RouteContext, RouteDefinition, RouteResult } from './host/route-definition.js';
export type { Principal } from './host/principal.js';
export type { HostLogFields, HostLogger } from './host/host-logger.js';
export { HostError, HOST_ERROR_CODES, hasErrorCode } from './host/host-error.js';
export type { HostErrorCode } from './host/host-error.js';
export type { CorsPolicy, ProviderHost, ProviderTopology, UpgradeContext, UpgradeDefinition, UpgradeHandler, WebhookDefinition } from './host/provider-host.js';

// Custom sources (Source API)
export { sourceTopics } from './source-topics.js';
export { parseJsonPayload } from './parse-json-payload.js';
export { writeDeliveryOutcomes, type DeliveryOutcome } from './delivery-outcome.js';
export { customSource, customSourceConfigSchema, CUSTOM_APPLICATION_IDS } from './custom/index.js';
export type { CustomSourceConfig, CustomSourceInstance, CustomSourceTestHooks } from './custom/index.js';
export { CustomSourceManager } from './custom/source-management.js';
export type {
  CreateChannelOptions,
  CreatedSource,
  CreateSourceOptions,
  CustomSourceManagerOptions,
  SourceView,
  UpdateSourceOptions,
} from './custom/source-management.js';
export { SourceCatalog } from './source-catalog.js';
export { BUILT_IN_SOURCE_NAMES, RESERVED_SOURCE_NAMES, SOURCE_ID_PATTERN, assertNewSourceId } from './custom/source-id.js';
export { generateSourceToken, hashSourceToken, signingSecretOf, sourceIdOfToken, sourceTokenMatches } from './custom/source-token.js';
export { createCustomPayloadAcceptor } from './custom/webhook.js';
export type { AcceptedMessage, CustomPayloadAcceptor, CustomPayloadAcceptorOptions } from './custom/webhook.js';
export { customProvider, customSourceRoutes } from './custom/routes.js';
export { assertMetadataKeys, customMessageSchema, customMetadataSchema, customPayloadSchema, mapCustomPayload, parseCustomPayload, MAX_PAYLOAD_ITEMS } from './custom/mapping.js';
export type { CustomMessageInput, CustomMetadataInput, CustomPayload, RoutedItem } from './custom/mapping.js';
export { addCustomRouter, buildCustomRouterTopology, CUSTOM_ROUTER_NAMES } from './custom/topology.js';
export type { CustomDeadLetter, CustomRouterOptions } from './custom/topology.js';
export { addCustomConnector, buildCustomConnectorTopology, CUSTOM_CONNECTOR_NAMES, MAX_OUTBOUND_AGE_MS } from './custom/connector.js';
export type { CustomConnectorOptions } from './custom/connector.js';
export { postToActionEndpoint, DeliveryError, ACTION_DEFAULTS } from './custom/action-client.js';
export type { ActionRequestOptions, ActionResponse } from './custom/action-client.js';
export { CUSTOM_DEAD_LETTER_TOPIC, CUSTOM_EVENTS_TOPIC, customSourceTopics } from './custom/custom-topics.js';

// The website chat plugin
export { chatPluginSource, chatPluginConfigSchema, CHATPLUGIN_APPLICATION_IDS } from './chatplugin/index.js';
export type { ChatPluginConfig, ChatPluginInstance } from './chatplugin/index.js';
export { ChatPluginService } from './chatplugin/chatplugin-service.js';
export type { ChatPluginServiceOptions, ChatSession, ChatWrite } from './chatplugin/chatplugin-service.js';
export { ChatTokens, CHAT_TOKEN_AUDIENCE, CHAT_TOKEN_DEFAULTS, MIN_CHAT_TOKEN_SECRET_LENGTH, readClaims } from './chatplugin/chat-token.js';
export type { ChatTokenClaims, ChatTokensOptions, ChatTokenType, SignedChatToken } from './chatplugin/chat-token.js';
export { chatEventSchema, chatMessageId, parseChatContent, parseChatEvent, toContactMessage, CLIENT_MESSAGE_ID_PATTERN, DEFAULT_MAX_CONTENT_BYTES } from './chatplugin/mapping.js';
export type { ChatEvent } from './chatplugin/mapping.js';
export { addChatPluginRouter, buildChatPluginRouterTopology, CHATPLUGIN_ROUTER_NAMES } from './chatplugin/topology.js';
export type { ChatPluginDeadLetter, ChatPluginRouterOptions } from './chatplugin/topology.js';
export { addChatPluginConnector, buildChatPluginConnectorTopology, CHATPLUGIN_CONNECTOR_NAMES } from './chatplugin/connector.js';
export type { ChatPluginConnectorOptions } from './chatplugin/connector.js';
export { chatPluginProvider, CHATPLUGIN_SECRET_NAME, CHATPLUGIN_SOCKET_PATH } from './chatplugin/provider.js';
export type { ChatPluginCommunication } from './chatplugin/visitor-routes.js';
export { CHAT_SOCKET_CLOSE_CODES } from './chatplugin/chat-socket-hub.js';
export { CHATPLUGIN_DEAD_LETTER_TOPIC, CHATPLUGIN_EVENTS_TOPIC, CHATPLUGIN_SOURCE, chatPluginTopics } from './chatplugin/chatplugin-topics.js';

// Facebook Messenger
export * from './facebook/index.js';

// What the Meta providers share: hub handshake, X-Hub-Signature-256, the Graph API client
export * from './meta-graph/index.js';

// Instagram
export * from './instagram/index.js';

// WhatsApp Cloud API
export * from './whatsapp/index.js';

// Viber
export * from './viber/exports.js';

// Google Business Messages (shut down by Google on 2024-07-31)
export * from './google/exports.js';

// Twilio SMS and WhatsApp
export * from './twilio/index.js';

// Telegram
export * from './telegram/index.js';
