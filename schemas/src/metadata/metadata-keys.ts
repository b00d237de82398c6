/**
 * The metadata keys Parley itself reads or writes, per subject namespace. Keys are snake_case
 * segments joined by dots in every namespace (Airy mixed `contact.display_name` on conversations
 * with camelCase `displayName` on contacts). Secrets never go into metadata: tokens belong in
 * Channel.token / Source.token, which the API does not return (Airy kept the Facebook page
 * token in channel metadata, where `channels.list` showed it).
 */

/** Keys of `conversation:<id>` subjects. */
export const CONVERSATION_METADATA_KEYS = Object.freeze({
  /** TEXT: the contact's name as the source or a user gave it. */
  contactDisplayName: 'contact.display_name',
  /** TEXT: URL of the contact's picture. */
  contactAvatarUrl: 'contact.avatar_url',
  /** TEXT: the contact's language as the source reports it. */
  contactLang: 'contact.lang',
  /** TEXT: the contact's country as the source reports it. */
  contactCountry: 'contact.country',
  /** TEXT: `ok` or `failed` once a profile fetch ran; deleting it asks for a new fetch. */
  contactFetchState: 'contact.fetch_state',
  /** TEXT: workflow state, by convention `OPEN` or `CLOSED`. */
  state: 'state',
  /** Prefix: `tags.<tagId>` = "" while the conversation carries the tag (see `conversationTagKey`). */
  tags: 'tags',
  /** NUMBER: contact messages sent after the latest read receipt. */
  unreadCount: 'unread_count',
  /** TEXT: the conversation's detected language. */
  language: 'language',
  /** Prefix: attributes set by API clients through `metadata.upsert`. */
  userData: 'user_data',
} as const);

/** Keys of `message:<id>` subjects. */
export const MESSAGE_METADATA_KEYS = Object.freeze({
  /** TEXT: the provider's id of an outbound message once the provider accepted it. */
  sourceId: 'source.id',
  /** TEXT: delivery progress the provider reports after acceptance, e.g. `delivered`, `seen`. */
  sourceDeliveryState: 'source.delivery_state',
  /** TEXT: the provider's raw error response. */
  sourceError: 'source.error',
  /** TEXT: why the message FAILED, for people. */
  error: 'error',
  /** Prefix: `suggestions.<suggestionId>.content` (OBJECT) = a suggested reply. */
  suggestions: 'suggestions',
  /** TEXT: the emoji a contact reacted with. */
  reactionEmoji: 'reaction.emoji',
  /** NUMBER: when the reaction was sent, in milliseconds since the epoch. */
  reactionSentAt: 'reaction.sent_at',
  /**
   * NUMBER: when the business side read the message, in milliseconds since the epoch (the
   * ReadReceipt's readAt; Airy wrote the message's sentAt here).
   */
  userRead: 'user_read',
  /** TEXT: the message's detected language. */
  language: 'language',
  /** Prefix: attributes set by API clients through `metadata.upsert`. */
  userData: 'user_data',
} as const);

/** Keys of `channel:<id>` subjects (plus source-specific, non-secret attributes). */
export const CHANNEL_METADATA_KEYS = Object.freeze({
  /** TEXT: display name. */
  name: 'name',
  /** TEXT: URL of the channel's picture. */
  imageUrl: 'image_url',
  /** Prefix: attributes set by API clients through `metadata.upsert`. */
  userData: 'user_data',
} as const);

/** Keys of `contact:<id>` subjects. */
export const CONTACT_METADATA_KEYS = Object.freeze({
  displayName: 'display_name',
  avatarUrl: 'avatar_url',
  title: 'title',
  gender: 'gender',
  /** NUMBER: offset from UTC in hours. */
  timezone: 'timezone',
  locale: 'locale',
  organizationName: 'organization_name',
  /** NUMBER: milliseconds since the epoch. */
  createdAt: 'created_at',
  /** Prefix: `via.<channelKind>` = how the contact can be reached (phone, email, …). */
  via: 'via',
  /** Prefix: `conversations.<conversationId>` = the conversation's source. */
  conversations: 'conversations',
  /** Prefix: `address.{organization_name,address_line1,address_line2,postal_code,city,state,country}`. */
  address: 'address',
  /** ARRAY: the contacts merged into this one (their documents as they were), oldest merge first. */
  mergeHistory: 'merge_history',
  /**
   * TEXT: the id of the contact this one was merged into by an import (`parley import airy`).
   * While it is live the contact does not exist for the API (nor do its conversation links),
   * whatever else it holds: the conversation's derived contact written after the import (its
   * seed) cannot bring it back, in whichever order the records arrive.
   */
  mergedInto: 'merged_into',
  /** Prefix: attributes set by API clients (`metadata.upsert`, and field `metadata` of `contacts.create` / `.update`). */
  userData: 'user_data',
} as const);

/** `tags.<tagId>`: the conversation key that marks a tag as attached. */
export function conversationTagKey(tagId: string): string {
  return `${CONVERSATION_METADATA_KEYS.tags}.${segment('tagId', tagId)}`;
}

/** `conversations.<conversationId>`: the contact key linking a conversation to the contact. */
export function contactConversationKey(conversationId: string): string {
  return `${CONTACT_METADATA_KEYS.conversations}.${segment('conversationId', conversationId)}`;
}

function segment(label: string, value: string): string {
  if (typeof value !== 'string' || value === '' || value.includes('.')) {
    throw new RangeError(`${label} must be a non-empty key segment without dots, got ${JSON.stringify(value)}`);
  }
  return value;
}
