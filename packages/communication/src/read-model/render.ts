import type { Channel, JsonObject, JsonValue, Message, Tag, Template } from '@parley/schemas';
import { sourceConversationId, type ConversationAggregate } from '../topology/conversation-aggregate.js';

/**
 * The API's JSON shapes of the communication model (snake_case, timestamps as ISO-8601 UTC with
 * milliseconds), and the defaults Airy Core applied when rendering.
 */

export interface ChannelJson {
  id: string;
  source: string;
  source_channel_id: string;
  connected: boolean;
  /** Channel metadata; `name` defaults to `<source> <last 5 characters of the id>`. Never the token. */
  metadata: JsonObject;
}

export interface MessageJson {
  id: string;
  /** The content parsed as JSON when it is JSON (most providers), else the text (Twilio's form body). */
  content: JsonValue;
  delivery_state: 'pending' | 'delivered' | 'failed';
  from_contact: boolean;
  sender: { id: string; type: 'contact' | 'user' | 'app' };
  sent_at: string;
  /** When the record last changed; null for a message never updated. */
  updated_at: string | null;
  source: string;
  metadata: JsonObject;
}

export interface ConversationJson {
  id: string;
  created_at: string;
  /** The contact's id at the source (the sender of the latest contact message). */
  source_conversation_id: string | null;
  channel: ChannelJson;
  /** Conversation metadata with `contact.display_name` defaulted and `unread_count` set. */
  metadata: JsonObject;
  last_message: MessageJson;
}

export interface TagJson {
  id: string;
  name: string;
  /** `tag-red`, `tag-green`, `tag-blue` or `tag-purple`, as the API takes it. */
  color: string;
}

export interface TemplateJson {
  id: string;
  name: string;
  source: string;
  content: JsonValue;
}

/** ISO-8601 UTC with milliseconds (`2020-10-25T21:24:54.560Z`). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** `"<Source> <last 5 of id>"`, Source = the source's last dot-segment capitalised (`twilio.sms` → `Sms`). */
export function defaultDisplayName(source: string | null, conversationId: string): string {
  const segment = (source ?? '').split('.').pop() ?? '';
  const name = segment.length === 0 ? 'Contact' : segment[0]!.toUpperCase() + segment.slice(1);
  return `${name} ${conversationId.slice(-5)}`;
}

/** The display name a conversation is shown (and searched) by. */
export function conversationDisplayName(aggregate: ConversationAggregate): string {
  const contact = aggregate.metadata.contact;
  const given = contact !== null && typeof contact === 'object' && !Array.isArray(contact) ? contact.display_name : undefined;
  return typeof given === 'string' && given.length > 0 ? given : defaultDisplayName(aggregate.source, aggregate.id);
}

export function parseContent(content: string): JsonValue {
  try {
    return JSON.parse(content) as JsonValue;
  } catch {
    return content;
  }
}

export function renderMessage(message: Message, metadata: JsonObject = {}): MessageJson {
  return {
    id: message.id,
    content: parseContent(message.content),
    delivery_state: message.deliveryState.toLowerCase() as MessageJson['delivery_state'],
    from_contact: message.senderType === 'CONTACT',
    sender: { id: message.senderId, type: message.senderType.toLowerCase() as MessageJson['sender']['type'] },
    sent_at: isoTime(message.sentAt),
    updated_at: message.updatedAt === null ? null : isoTime(message.updatedAt),
    source: message.source,
    metadata,
  };
}

export function renderChannel(channel: Channel, metadata: JsonObject = {}): ChannelJson {
  const name = typeof metadata.name === 'string' && metadata.name.length > 0 ? metadata.name : `${channel.source} ${channel.id.slice(-5)}`;
  return {
    id: channel.id,
    source: channel.source,
    source_channel_id: channel.sourceChannelId,
    connected: channel.connectionState === 'CONNECTED',
    metadata: { ...metadata, name },
  };
}

export interface ConversationParts {
  aggregate: ConversationAggregate & { lastMessage: Message; createdAt: number };
  channel: ChannelJson;
  lastMessageMetadata: JsonObject;
}

export function renderConversation({ aggregate, channel, lastMessageMetadata }: ConversationParts): ConversationJson {
  const contact = aggregate.metadata.contact;
  const contactObject = contact !== null && typeof contact === 'object' && !Array.isArray(contact) ? contact : {};
  return {
    id: aggregate.id,
    created_at: isoTime(aggregate.createdAt),
    source_conversation_id: sourceConversationId(aggregate),
    channel,
    metadata: {
      ...aggregate.metadata,
      contact: { ...contactObject, display_name: conversationDisplayName(aggregate) },
      unread_count: aggregate.unreadCount,
    },
    last_message: renderMessage(aggregate.lastMessage, lastMessageMetadata),
  };
}

export function renderTag(tag: Tag): TagJson {
  return { id: tag.id, name: tag.name, color: `tag-${tag.color.toLowerCase()}` };
}

export function renderTemplate(template: Template): TemplateJson {
  return { id: template.id, name: template.name, source: template.source, content: parseContent(template.content) };
}
