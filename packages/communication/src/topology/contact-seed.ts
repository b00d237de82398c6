import { CONTACT_METADATA_KEYS, contactConversationKey, contactId, isCanonicalUuid, metadataId, metadataRecord, metadataSubject, type Message, type Metadata } from '@parley/schemas';

/** A record to append: its key on the contacts topic and the Metadata value. */
export interface SeedRecord {
  key: string;
  value: Metadata;
}

/**
 * The contact every conversation gets (Airy created one per conversation too): id
 * `contactId(conversationId)`, attributes `conversations.<conversationId>` = the source and
 * `created_at`, both stamped with the first message's sentAt. Deterministic, so a replay writes
 * the same records; stamped in the past, so a later merge or delete of the contact (stamped
 * when it happened) wins over a replay and the contact does not come back. Empty for a
 * conversation id no metadata subject can name.
 */
export function contactSeedRecords(message: Message): SeedRecord[] {
  if (!isCanonicalUuid(message.conversationId)) return [];
  const subject = metadataSubject('contact', contactId(message.conversationId));
  const timestamp = message.sentAt;
  const attributes: [string, string | number][] = [
    [contactConversationKey(message.conversationId), message.source],
    [CONTACT_METADATA_KEYS.createdAt, message.sentAt],
  ];
  return attributes.map(([key, value]) => ({ key: metadataId(subject, key), value: metadataRecord({ subject, key, value, timestamp }) }));
}
