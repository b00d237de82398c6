/** Twilio SMS and Twilio WhatsApp (`twilio-sms`, `twilio-whatsapp`). See README.md in this folder. */
export { twilioProvider, twilioSmsProvider, twilioWhatsAppProvider } from './provider.js';
export type { TwilioProviderHooks } from './provider.js';
export { twilioConfigSchema, TWILIO_DEFAULTS } from './twilio-config.js';
export type { TwilioConfig } from './twilio-config.js';
export { TWILIO_NAMES, twilioTopics } from './twilio-names.js';
export type { TwilioKind, TwilioNames } from './twilio-names.js';
export { twilioSignature, twilioSignedText, verifyTwilioSignature, formParams } from './twilio-signature.js';
export { twilioWebhook, calledUrl, EMPTY_TWIML, STATUS_CALLBACK_MESSAGE_PARAM } from './webhook.js';
export { parseTwilioEvent, TWILIO_STATUS_RANK, TWILIO_FAILED_STATUSES } from './mapping.js';
export type { TwilioEvent, TwilioInbound, TwilioStatus } from './mapping.js';
export { addTwilioRouter, buildTwilioRouterTopology, twilioRouterNames } from './topology.js';
export type { TwilioDeadLetter, TwilioStatusState } from './topology.js';
export { addTwilioConnector, buildTwilioConnectorTopology, sendForm, twilioConnectorNames } from './connector.js';
export type { TwilioConnectorOptions } from './connector.js';
export { createTwilioMessage, TwilioApiError } from './twilio-api.js';
export { FakeTwilioApi } from './fake-twilio-api.js';
export type { FakeTwilioMessage } from './fake-twilio-api.js';
