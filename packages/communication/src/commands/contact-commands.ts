import {
  CONTACT_METADATA_KEYS,
  contactConversationKey,
  decodeMetadataValue,
  flattenMetadata,
  isMetadataTombstone,
  metadataSubject,
  type JsonObject,
  type JsonValue,
  type MetadataState,
} from '@parley/schemas';
import { CommunicationError } from '../errors.js';
import type { ContactJson } from '../read-model/contact-queries.js';
import { newIdOf, nowOf, type CommandContext, type WriteResult } from './command-context.js';
import { writeMetadata, type MetadataWrite } from './metadata-commands.js';

/**
 * Commands on contacts (subject `contact:<id>`, topic `application.communication.contacts`).
 * A contact is its metadata: every attribute one record, merged by timestamp like conversation
 * metadata; a contact with no live attribute does not exist. Field names are the stored keys
 * (`metadata` aside: it is stored under `user_data`).
 */

/** The attributes a client sets. null deletes one (with everything nested below it). */
export interface ContactFields {
  display_name?: string | null;
  avatar_url?: string | null;
  title?: string | null;
  gender?: string | null;
  /** Offset from UTC in hours. */
  timezone?: number | null;
  locale?: string | null;
  organization_name?: string | null;
  /** How to reach the contact (`{ phone: "+49…", email: "…" }`); merged field by field. */
  via?: JsonObject | null;
  /** `organization_name`, `address_line1`, `address_line2`, `postal_code`, `city`, `state`, `country`; merged field by field. */
  address?: JsonObject | null;
  /** Free attributes, stored under `user_data` (where metadata.upsert writes); merged field by field. */
  metadata?: JsonObject | null;
}

export interface CreateContactOptions {
  fields: ContactFields;
  /** Conversations to link, id → source; each moves from the contact it belonged to. */
  conversations?: Readonly<Record<string, string>>;
}

/** What a contact command wrote, and the contact it is about. */
export interface ContactWriteResult extends WriteResult {
  contactId: string;
}

const FIXED_KEYS: ReadonlySet<string> = new Set([CONTACT_METADATA_KEYS.createdAt, CONTACT_METADATA_KEYS.mergeHistory, CONTACT_METADATA_KEYS.mergedInto]);
const CONVERSATIONS_PREFIX = `${CONTACT_METADATA_KEYS.conversations}.`;

/** contacts.create: a new contact (random id) with `created_at` = now. */
export async function createContact(context: CommandContext, options: CreateContactOptions): Promise<ContactWriteResult> {
  const contactId = newIdOf(context);
  const writes: MetadataWrite[] = [
    { key: CONTACT_METADATA_KEYS.createdAt, value: nowOf(context) },
    ...fieldWrites(options.fields, new Map()),
    ...Object.entries(options.conversations ?? {}).map(([conversationId, source]) => ({ key: contactConversationKey(conversationId), value: source })),
  ];
  const written = await writeMetadata(context, metadataSubject('contact', contactId), writes);
  return { ...written, contactId };
}

/** contacts.update: sets (or, for null, deletes) the given attributes; objects merge field by field. */
export async function updateContact(context: CommandContext, options: { id: string; fields: ContactFields }): Promise<ContactWriteResult> {
  const state = requireContact(context, options.id, 'id');
  const written = await writeMetadata(context, metadataSubject('contact', options.id), fieldWrites(options.fields, state));
  return { ...written, contactId: options.id };
}

/** contacts.delete: a tombstone for every attribute. Its conversations keep no contact until linked again. */
export async function deleteContact(context: CommandContext, options: { id: string }): Promise<ContactWriteResult> {
  const state = requireContact(context, options.id, 'id');
  const written = await writeMetadata(context, metadataSubject('contact', options.id), deleteAll(state));
  return { ...written, contactId: options.id };
}

/**
 * contacts.merge: the source contact goes into the destination. The destination gains the
 * source's conversations and every attribute it does not have itself (its own values win), and
 * `merge_history` gets the source as it was (its own history first); then the source is deleted.
 * RUNTIME_INVALID_REQUEST (field `destination_id`) for a contact merged into itself.
 */
export async function mergeContacts(context: CommandContext, options: { sourceId: string; destinationId: string }): Promise<ContactWriteResult> {
  if (options.sourceId === options.destinationId) {
    throw new CommunicationError('RUNTIME_INVALID_REQUEST', 'a contact cannot be merged into itself', { field: 'destination_id' });
  }
  const source = requireContact(context, options.sourceId, 'source_id');
  const destination = requireContact(context, options.destinationId, 'destination_id');
  const { readModel } = context;
  const sourceJson = readModel.contactInfo(options.sourceId);
  const destinationJson = readModel.contactInfo(options.destinationId);
  const writes = contactMergeWrites({ source, sourceJson, destination, destinationHistory: destinationJson.merge_history, now: nowOf(context) });
  const into = await writeMetadata(context, metadataSubject('contact', options.destinationId), writes);
  const removed = await writeMetadata(context, metadataSubject('contact', options.sourceId), deleteAll(source));
  return { offsets: [...into.offsets, ...removed.offsets], contactId: options.destinationId };
}

export interface ContactMerge {
  /** The source's merged metadata. */
  source: MetadataState;
  /** The source as the API renders it (its snapshot in the history; its `conversations` move). */
  sourceJson: ContactJson;
  /** The destination's merged metadata. */
  destination: MetadataState;
  /** The destination's `merge_history` now. */
  destinationHistory: readonly JsonValue[];
  /** When the merge happens (ms): `merged_at` of the history entry. */
  now: number;
}

/**
 * What merging a contact into another writes to the destination (contacts.merge, and the Airy
 * importer's reconciliation of a derived contact with Airy's): every attribute of the source the
 * destination has no value at or under (its own values win), the source's conversations, and
 * `merge_history` with the source as it was appended (its own history first).
 */
export function contactMergeWrites(merge: ContactMerge): MetadataWrite[] {
  const { merge_history: sourceHistory, ...sourceSnapshot } = merge.sourceJson;
  const ownKeys = liveKeys(merge.destination);
  const overlaps = (key: string) => [...ownKeys].some((own) => own === key || own.startsWith(`${key}.`) || key.startsWith(`${own}.`));
  const writes: MetadataWrite[] = [];
  for (const change of merge.source.values()) {
    if (isMetadataTombstone(change) || FIXED_KEYS.has(change.key) || change.key.startsWith(CONVERSATIONS_PREFIX) || overlaps(change.key)) continue;
    writes.push({ key: change.key, value: decodeMetadataValue(change) });
  }
  for (const [conversationId, conversationSource] of Object.entries(merge.sourceJson.conversations)) {
    writes.push({ key: contactConversationKey(conversationId), value: conversationSource });
  }
  const history: JsonValue[] = [...merge.destinationHistory, ...sourceHistory, { ...sourceSnapshot, merged_at: new Date(merge.now).toISOString() } as JsonObject];
  writes.push({ key: CONTACT_METADATA_KEYS.mergeHistory, value: history });
  return writes;
}

/** The contact's merged state; RUNTIME_NOT_FOUND (`field`) unless it is live. */
function requireContact(context: CommandContext, contactId: string, field: string): MetadataState {
  context.readModel.assertReady();
  if (context.readModel.contacts.get(contactId) === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `contact ${contactId} not found`, { field });
  return context.readModel.metadataState(metadataSubject('contact', contactId));
}

function liveKeys(state: MetadataState): Set<string> {
  return new Set([...state.values()].filter((change) => !isMetadataTombstone(change)).map((change) => change.key));
}

function deleteAll(state: MetadataState): MetadataWrite[] {
  return [...liveKeys(state)].map((key) => ({ key, delete: true as const }));
}

/** The writes for `fields` over `state`: leaves set; null deletes the key and every live key below it. */
function fieldWrites(fields: ContactFields, state: MetadataState): MetadataWrite[] {
  const live = liveKeys(state);
  const writes: MetadataWrite[] = [];
  const remove = (key: string) => {
    writes.push({ key, delete: true });
    for (const own of live) if (own.startsWith(`${key}.`)) writes.push({ key: own, delete: true });
  };
  for (const [name, value] of Object.entries(fields) as [string, JsonValue | undefined][]) {
    if (value === undefined) continue;
    const field = name === 'metadata' ? CONTACT_METADATA_KEYS.userData : name;
    if (value === null) remove(field);
    else if (typeof value === 'object' && !Array.isArray(value)) {
      for (const leaf of flattenMetadata(value, field)) {
        if (leaf.value === null) remove(leaf.key);
        else writes.push({ key: leaf.key, value: leaf.value });
      }
    } else writes.push({ key: field, value });
  }
  return writes;
}
