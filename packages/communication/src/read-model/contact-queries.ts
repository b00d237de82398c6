import { CONTACT_METADATA_KEYS, metadataDocument, metadataSubject, type JsonObject, type JsonValue, type Message, type MetadataState } from '@parley/schemas';
import { CommunicationError } from '../errors.js';
import { COMMUNICATION_STORES } from '../store-names.js';
import { conversationKeyRange } from '../topology/message-order-key.js';
import type { CommunicationReadModel } from './communication-read-model.js';
import { isLiveContact, type IndexedContact } from './contact-index.js';
import { encodeCursor } from './cursor.js';
import { listMessages } from './message-queries.js';
import { pageSizeOf, type CommunicationPage } from './page.js';
import { isoTime, type MessageJson } from './render.js';

/** A contact as the API renders it (Airy's fields, snake_case; times ISO-8601 like every Parley time). */
export interface ContactJson {
  id: string;
  /** Its own name, else the name a source gave in one of its conversations (`contact.display_name`). */
  display_name: string | null;
  avatar_url: string | null;
  title: string | null;
  gender: string | null;
  /** Offset from UTC in hours. */
  timezone: number | null;
  locale: string | null;
  organization_name: string | null;
  via: JsonObject;
  address: JsonObject | null;
  /** The conversations that belong to it → their source. */
  conversations: Record<string, string>;
  /** Attributes set by API clients (stored under `user_data`, where metadata.upsert writes too). */
  metadata: JsonObject;
  /** The contacts merged into this one, as they were when merged. */
  merge_history: JsonValue[];
  created_at: string | null;
  updated_at: string;
}

const text = (value: JsonValue | undefined): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const object = (value: JsonValue | undefined): JsonObject | null => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null);

/** The live contact `contactId` rendered; RUNTIME_NOT_FOUND (field `id`) when there is none. */
export function contactInfo(readModel: CommunicationReadModel, contactId: string, field = 'id'): ContactJson {
  readModel.assertReady();
  const indexed = readModel.contacts.get(contactId);
  if (indexed === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `contact ${contactId} not found`, { field });
  return renderContact(readModel, indexed);
}

/** The contact a conversation belongs to; RUNTIME_NOT_FOUND (field `conversation_id`) when none. */
export function contactOfConversation(readModel: CommunicationReadModel, conversationId: string): ContactJson {
  readModel.assertReady();
  const contactId = readModel.contacts.contactOf(conversationId);
  if (contactId === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `no contact for conversation ${conversationId}`, { field: 'conversation_id' });
  return contactInfo(readModel, contactId, 'conversation_id');
}

/** Every live contact, by display name (ignoring case; contacts without one last), then id. */
export function listContacts(readModel: CommunicationReadModel): ContactJson[] {
  readModel.assertReady();
  const rendered = [...readModel.contacts.all()].map((indexed) => renderContact(readModel, indexed));
  const key = (c: ContactJson) => c.display_name?.toLocaleLowerCase('en') ?? null;
  return rendered.sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    if (ka !== kb) return ka === null ? 1 : kb === null ? -1 : ka < kb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

export interface RecentMessagesQuery {
  contactId: string;
  /** Only conversations of these sources; default all. */
  includeSources?: readonly string[];
  pageSize?: number;
  /** Per conversation, a cursor of an earlier answer; a conversation without one starts at its latest page. */
  cursors?: Readonly<Record<string, string>>;
}

/**
 * contacts.recent-messages: per conversation of the contact, a page of messages.list. Without a
 * cursor the page is the conversation's latest one (its newest `pageSize` messages, oldest first),
 * so `previous_cursor` leads back in time; with one it is the page that cursor names.
 */
export async function recentMessages(readModel: CommunicationReadModel, query: RecentMessagesQuery): Promise<Record<string, CommunicationPage<MessageJson>>> {
  const contact = contactInfo(readModel, query.contactId, 'contact_id');
  const pageSize = pageSizeOf(query.pageSize);
  const result: Record<string, CommunicationPage<MessageJson>> = {};
  for (const [conversationId, source] of Object.entries(contact.conversations).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (query.includeSources !== undefined && !query.includeSources.includes(source)) continue;
    if (readModel.conversation(conversationId) === undefined) continue;
    const cursor = query.cursors?.[conversationId] ?? (await latestPageCursor(readModel, conversationId, pageSize));
    result[conversationId] = await listMessages(readModel, { conversationId, pageSize, ...(cursor === undefined ? {} : { cursor }) });
  }
  return result;
}

/** The messages.list cursor whose page holds the conversation's newest `pageSize` messages; undefined when the first page does. */
async function latestPageCursor(readModel: CommunicationReadModel, conversationId: string, pageSize: number): Promise<string | undefined> {
  const store = readModel.store<string, Message>(COMMUNICATION_STORES.conversationMessages);
  let seen = 0;
  for await (const { value } of store.range({ ...conversationKeyRange(conversationId), reverse: true })) {
    seen += 1;
    if (seen > pageSize) return encodeCursor('msg', { t: value.sentAt, id: value.id });
  }
  return undefined;
}

function renderContact(readModel: CommunicationReadModel, indexed: IndexedContact): ContactJson {
  const state = readModel.metadataState(metadataSubject('contact', indexed.id));
  const doc = metadataDocument(state);
  const conversations: Record<string, string> = {};
  const fromConversations: { display_name?: string; avatar_url?: string } = {};
  for (const conversationId of readModel.contacts.conversationsOf(indexed.id).sort()) {
    const source = object(doc[CONTACT_METADATA_KEYS.conversations])?.[conversationId];
    conversations[conversationId] = typeof source === 'string' ? source : '';
    const given = object(readModel.conversation(conversationId)?.metadata.contact);
    fromConversations.display_name ??= text(given?.display_name) ?? undefined;
    fromConversations.avatar_url ??= text(given?.avatar_url) ?? undefined;
  }
  return renderContactFields(indexed.id, state, doc, conversations, fromConversations);
}

/**
 * A contact rendered from its own merged metadata alone, without the read model (the
 * `contact.updated` webhook event): `conversations` are the conversations linked in it (one moved
 * to a newer contact since still shows here), and `display_name`/`avatar_url` have no fallback to
 * what a source gave in a conversation. Undefined when it is no contact (`isLiveContact`: deleted, or merged by an import).
 */
export function renderContactState(contactId: string, state: MetadataState): ContactJson | undefined {
  if (!isLiveContact(state)) return undefined;
  const doc = metadataDocument(state);
  const conversations: Record<string, string> = {};
  for (const [conversationId, source] of Object.entries(object(doc[CONTACT_METADATA_KEYS.conversations]) ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    conversations[conversationId] = typeof source === 'string' ? source : '';
  }
  return renderContactFields(contactId, state, doc, conversations, {});
}

function renderContactFields(id: string, state: MetadataState, doc: JsonObject, conversations: Record<string, string>, fromConversations: { display_name?: string; avatar_url?: string }): ContactJson {
  const keys = CONTACT_METADATA_KEYS;
  let updatedAt = 0;
  for (const change of state.values()) if (change.value !== null && change.timestamp > updatedAt) updatedAt = change.timestamp;
  const createdAt = doc[keys.createdAt];
  const timezone = doc[keys.timezone];
  return {
    id,
    display_name: text(doc[keys.displayName]) ?? fromConversations.display_name ?? null,
    avatar_url: text(doc[keys.avatarUrl]) ?? fromConversations.avatar_url ?? null,
    title: text(doc[keys.title]),
    gender: text(doc[keys.gender]),
    timezone: typeof timezone === 'number' ? timezone : null,
    locale: text(doc[keys.locale]),
    organization_name: text(doc[keys.organizationName]),
    via: object(doc[keys.via]) ?? {},
    address: object(doc[keys.address]),
    conversations,
    metadata: object(doc[keys.userData]) ?? {},
    merge_history: Array.isArray(doc[keys.mergeHistory]) ? (doc[keys.mergeHistory] as JsonValue[]) : [],
    created_at: typeof createdAt === 'number' && Number.isFinite(createdAt) ? isoTime(createdAt) : null,
    updated_at: isoTime(updatedAt),
  };
}
