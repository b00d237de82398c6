import { COMMUNICATION_TOPICS, conversationId as deriveConversationId, type Channel, type JsonValue, type Message } from '@parley/schemas';
import { CommunicationError } from '../errors.js';
import { appendRecords, newIdOf, nowOf, requireConversation, serdesOf, type CommandContext, type WriteResult } from './command-context.js';

export interface SendMessageOptions {
  /** An existing conversation; or give `channelId` and `sourceRecipientId` instead. */
  conversationId?: string;
  /** With `sourceRecipientId`: the channel to start (or continue) a conversation on. */
  channelId?: string;
  /** With `channelId`: the contact's id at the source (phone number, PSID, …). */
  sourceRecipientId?: string;
  /** The message in the source's send format, stored as JSON text (a string becomes a JSON string). */
  content: JsonValue;
  /** Who sends it: the API user's id (or the app's). */
  senderId: string;
  /** Default USER. */
  senderType?: 'USER' | 'APP';
  /** Default a random UUID (`newId`); pass a stable id to make a client's retries idempotent. */
  messageId?: string;
  headers?: Record<string, string> | null;
}

export interface SendMessageResult extends WriteResult {
  /** The PENDING message as appended; the source's connector delivers it. */
  message: Message;
  /** False when the message opens a conversation the read model does not list yet. */
  conversationExisted: boolean;
}

function requireConnected(channel: Channel | undefined, channelId: string, field: string): Channel {
  if (channel === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `channel ${channelId} not found`, { field });
  if (channel.connectionState !== 'CONNECTED') throw new CommunicationError('RUNTIME_STATE', `channel ${channelId} is disconnected`, { field });
  return channel;
}

/**
 * messages.send: appends a PENDING outbound Message. Either to `conversationId`, waiting (bounded
 * by `conversationWaitMs`, on its own: other sends go on meanwhile, unlike Airy's retry queue
 * that stopped at its first unknown conversation) until the read model lists it; or to a contact
 * on a channel, with the conversation id `conversationId(channelId, sourceRecipientId)` that the
 * contact's inbound messages use too, so a conversation the contact has not started yet needs no
 * wait. Errors: RUNTIME_INVALID_REQUEST when neither or both forms are given, RUNTIME_NOT_FOUND
 * for an unknown conversation or channel, RUNTIME_STATE when the channel is disconnected.
 */
export async function sendMessage(context: CommandContext, options: SendMessageOptions): Promise<SendMessageResult> {
  const byConversation = options.conversationId !== undefined;
  const byRecipient = options.channelId !== undefined || options.sourceRecipientId !== undefined;
  if (byConversation === byRecipient || (byRecipient && (options.channelId === undefined || options.sourceRecipientId === undefined))) {
    throw new CommunicationError('RUNTIME_INVALID_REQUEST', 'give either conversation_id, or channel_id and source_recipient_id', {
      field: 'conversation_id',
    });
  }
  if (typeof options.senderId !== 'string' || options.senderId.length === 0) throw new TypeError('senderId must be a non-empty string');
  let channel: Channel;
  let conversationId: string;
  let sourceRecipientId: string | null = null;
  let conversationExisted = true;
  if (byConversation) {
    const conversation = await requireConversation(context, options.conversationId!);
    conversationId = conversation.id;
    channel = requireConnected(context.readModel.channel(conversation.channelId), conversation.channelId, 'conversation_id');
  } else {
    channel = requireConnected(context.readModel.channel(options.channelId!), options.channelId!, 'channel_id');
    conversationId = deriveConversationId(channel.id, options.sourceRecipientId!);
    conversationExisted = context.readModel.conversation(conversationId) !== undefined;
    // The recipient travels with the message while the conversation is new to Parley.
    if (!conversationExisted) sourceRecipientId = options.sourceRecipientId!;
  }
  const sentAt = nowOf(context);
  const message: Message = {
    id: options.messageId ?? newIdOf(context),
    headers: options.headers ?? null,
    senderType: options.senderType ?? 'USER',
    senderId: options.senderId,
    deliveryState: 'PENDING',
    conversationId,
    channelId: channel.id,
    source: channel.source,
    sourceRecipientId,
    content: JSON.stringify(options.content),
    sentAt,
    updatedAt: null,
  };
  const value = serdesOf(context).message.serialize(message);
  const offsets = await appendRecords(context, COMMUNICATION_TOPICS.messages.name, [{ key: message.id, value, timestamp: sentAt }]);
  return { offsets, message, conversationExisted };
}
