/**
 * Google Business Messages' webhook payload, `UserMessage`
 * (https://developers.google.com/business-communications/business-messages/reference/rest/v1/UserMessage;
 * the service was shut down on 2024-07-31):
 *
 * ```json
 * { "agent": "brands/BRAND/agents/AGENT", "conversationId": "CONV", "customAgentId": "…",
 *   "requestId": "REQ", "sendTime": "2024-01-01T10:00:00.000000Z",
 *   "context": { "userInfo": { "displayName": "Ada", "userDeviceLocale": "en-US" }, "placeId": "…" },
 *   "message": { "messageId": "M", "name": "conversations/CONV/messages/M", "text": "Hi", "createTime": "…" } }
 * ```
 *
 * Exactly one of `message`, `suggestionResponse`, `userStatus` (`isTyping`,
 * `requestedLiveAgent`), `receipts`, `surveyResponse`, `authenticationResponse`.
 * Registration is another body, `{ "clientToken", "secret" }` (webhook.ts).
 *
 * Ids: channel `channelId("google", AGENT)`, conversation `conversationId(channel, CONV)`, an
 * inbound message `messageId(channel, requestId)` ("use this field to de-duplicate incoming
 * messages"): Google's retries (for up to 7 days) rewrite the same record. Outbound messages are
 * created with our message id as their `messageId`, so a receipt names our message directly.
 */
import {
  CONVERSATION_METADATA_KEYS,
  conversationId as deriveConversationId,
  isCanonicalUuid,
  messageId as deriveMessageId,
  MESSAGE_METADATA_KEYS,
  metadataRecord,
  metadataSubject,
  type Message,
  type Metadata,
} from '@parley/schemas';
import { z } from 'zod';
import { parseJsonPayload } from '../parse-json-payload.js';
import { GOOGLE_SOURCE } from './google-topics.js';

/** Message header carrying a suggestion's postback data. */
export const POSTBACK_HEADER = 'postback.payload';

const id = z.string().min(1).max(1024).refine((s) => !/\p{Cs}/u.test(s), 'must be well-formed Unicode');
const time = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

export const googleEventSchema = z.looseObject({
  agent: z.string().regex(/^brands\/[^/]+\/agents\/[^/]+$/, 'brands/{brand}/agents/{agent}'),
  conversationId: id,
  requestId: id,
  sendTime: time,
  context: z.looseObject({ userInfo: z.looseObject({ displayName: z.string().max(1024).optional() }).optional() }).optional(),
  message: z.looseObject({ messageId: id.optional(), createTime: time.optional() }).optional(),
  suggestionResponse: z.looseObject({ postbackData: z.string().max(2048).optional(), createTime: time.optional() }).optional(),
  userStatus: z.looseObject({ isTyping: z.boolean().optional(), requestedLiveAgent: z.boolean().optional(), createTime: time.optional() }).optional(),
  receipts: z
    .looseObject({
      receipts: z.array(z.looseObject({ message: z.string().max(2048), receiptType: z.string().max(64) })).max(1000).default([]),
      createTime: time.optional(),
    })
    .optional(),
});
export type GoogleEvent = z.output<typeof googleEventSchema>;

/** The registration body Google posts when a webhook URL is set. */
export const googleRegistrationSchema = z.strictObject({ clientToken: z.string(), secret: z.string() });

/**
 * Parses and validates a raw UserMessage.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD naming the first bad field.
 */
export function parseGoogleEvent(raw: Buffer | string): GoogleEvent {
  return parseJsonPayload(googleEventSchema, raw, 'Business Messages event');
}

/** The agent id of `brands/{brand}/agents/{agent}`. */
export function agentIdOf(event: GoogleEvent): string {
  return event.agent.split('/')[3]!;
}

export interface MappedGoogleEvent {
  message: Message | null;
  metadata: Metadata[];
  /** Why nothing was mapped, for a dead letter; null when the event means nothing to store (typing). */
  unmapped: string | null;
}

/** The records an event of `channel` maps to; `rawText` is kept as a message's content, untouched. */
export function mapGoogleEvent(event: GoogleEvent, channel: string, rawText: string): MappedGoogleEvent {
  const conversation = deriveConversationId(channel, event.conversationId);
  const conversationSubject = metadataSubject('conversation', conversation);
  const at = event.sendTime;
  const metadata: Metadata[] = [];
  const name = event.context?.userInfo?.displayName;
  if (name !== undefined && name !== '') metadata.push(metadataRecord({ subject: conversationSubject, key: CONVERSATION_METADATA_KEYS.contactDisplayName, value: name, timestamp: at }));
  const contactMessage = (sentAt: number, headers: Record<string, string> | null): Message => ({
    id: deriveMessageId(channel, event.requestId),
    headers,
    senderType: 'CONTACT',
    senderId: event.conversationId,
    deliveryState: 'DELIVERED',
    conversationId: conversation,
    channelId: channel,
    source: GOOGLE_SOURCE,
    sourceRecipientId: null,
    content: rawText,
    sentAt,
    updatedAt: null,
  });
  if (event.message !== undefined) return { message: contactMessage(event.message.createTime ?? at, null), metadata, unmapped: null };
  if (event.suggestionResponse !== undefined) {
    const headers = { [POSTBACK_HEADER]: event.suggestionResponse.postbackData ?? '' };
    return { message: contactMessage(event.suggestionResponse.createTime ?? at, headers), metadata, unmapped: null };
  }
  if (event.userStatus !== undefined) {
    if (event.userStatus.requestedLiveAgent === true) metadata.push(metadataRecord({ subject: conversationSubject, key: CONVERSATION_METADATA_KEYS.state, value: 'OPEN', timestamp: event.userStatus.createTime ?? at }));
    return { message: null, metadata, unmapped: null };
  }
  if (event.receipts !== undefined) {
    for (const receipt of event.receipts.receipts) {
      const messageId = receipt.message.split('/')[3];
      const state = receipt.receiptType.toLowerCase();
      // Only our own outbound messages carry a Parley id as their messageId.
      if (messageId === undefined || !isCanonicalUuid(messageId) || (state !== 'delivered' && state !== 'read')) continue;
      metadata.push(metadataRecord({ subject: metadataSubject('message', messageId), key: MESSAGE_METADATA_KEYS.sourceDeliveryState, value: state, timestamp: event.receipts.createTime ?? at }));
    }
    return { message: null, metadata, unmapped: null };
  }
  const kind = ['surveyResponse', 'authenticationResponse'].find((k) => k in event) ?? 'unknown';
  return { message: null, metadata, unmapped: metadata.length > 0 ? null : `a ${kind} event is not mapped` };
}
