/**
 * What the Meta providers (Facebook Messenger, Instagram, WhatsApp Cloud) share, beside the
 * contract: the webhook handshake, the `X-Hub-Signature-256` check and the Graph API client.
 * It imports no provider; providers import it.
 */
export { answerHubHandshake } from './hub-handshake.js';
export { hubSignature, verifyHubSignature, type HubSignatureOptions } from './hub-signature.js';
export { GraphClient, GraphError, GRAPH_RATE_LIMIT_CODES, type GraphClientOptions, type GraphRequest } from './graph-client.js';
export { GRAPH_DEFAULTS, graphConfigSchema, metaAppConfigShape } from './graph-config.js';
export { contactProfileFetcher, textField, type ProfileFetcherOptions, type ProfileReader, type ProfileRequest } from './contact-profiles.js';
export { decodeCodePoints } from './emoji-text.js';
export { metaMessageStreams, parseContentObject, type MetaMessageStreams, type MetaPending, type MetaPendingNames } from './pending-messages.js';
export { StampedAtSendProcessor } from './sent-processor.js';
export { writeRoutedOutputs, type MetaRouted, type RoutedOutputsOptions } from './routed-outputs.js';
export { FETCH_STATE_REQUESTED, profileTriggers, type ProfileTrigger, type ProfileTriggerNames } from './contact-refetch.js';
export { messageIdOfAnswer, sendPendingMessages, type MetaConnectorOptions, type MetaSendSpec, type MetaSent } from './meta-sender.js';
export { addContactProfiles, type ProfileSpec, type ProfileTopologyNames } from './profile-topology.js';
export { metaReaction, reactionOutput, reactionSchema, type MetaReaction } from './reactions.js';
export { joinBySentId, type BySentIdNames } from './by-sent-id.js';
