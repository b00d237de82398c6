/**
 * One person, one contact: Airy's contact of a conversation and the contact Parley derives for it
 * (`contactId(conversationId)`, seeded at the conversation's first message) are reconciled into
 * Airy's. See docs/migration-from-airy.md ("Contacts").
 *
 * The derived contact gets `merged_into` = Airy's contact id, which hides it (and its links) for
 * good whatever is written to it before or after, so the order in which the contact, the messages
 * and the seed arrive does not matter; stamped with the time of Airy's link, it is the same record
 * on every run. When Parley's derived contact already holds more than its seed (an agent edited it
 * on a live platform before the import), it is merged into Airy's as contacts.merge merges:
 * attributes Airy's contact lacks, its other conversations, and a `merge_history` entry.
 */
import { contactMergeWrites, isLiveContact, modelSerdes, renderContactState, type MetadataWrite } from '@parley/communication';
import {
  COMMUNICATION_TOPICS,
  CONTACT_METADATA_KEYS,
  contactId,
  decodeMetadataValue,
  isCanonicalUuid,
  isMetadataTombstone,
  mergeMetadata,
  metadataId,
  metadataRecord,
  metadataSubject,
  parseMetadataSubject,
  type JsonValue,
  type Metadata,
  type MetadataChange,
  type MetadataState,
} from '@parley/schemas';
import type { PlannedWrite } from './airy-import-plan.js';

/** The Parley topic the reconciliation reads (Parley's contacts as they are) and writes. */
export const CONTACTS_TOPIC = COMMUNICATION_TOPICS.contacts.name;
const CONTACTS = CONTACTS_TOPIC;
const CONVERSATIONS_PREFIX = `${CONTACT_METADATA_KEYS.conversations}.`;

export interface ContactReconciliationInput {
  /** The import's planned writes (only those to the contacts topic are read). */
  writes: readonly PlannedWrite[];
  /** The records Parley's contacts topic holds now (latest value per key), as topics.read decodes them; anything not a Metadata record is ignored. */
  parleyContacts: Iterable<unknown>;
  /** The time of the import (ms): when a derived contact with attributes of its own is merged. */
  now: number;
}

/** The contacts-topic records that fold each derived contact into Airy's contact of its conversation. */
export function reconcileAiryContacts(input: ContactReconciliationInput): PlannedWrite[] {
  const parley = statesBySubject([...input.parleyContacts].filter(isMetadata));
  const airy = statesBySubject(input.writes.filter((w) => w.topic === CONTACTS && w.record !== null).map((w) => w.record as Metadata));
  const owners = airyOwners(airy);
  const serde = metadataSerde();
  const out: PlannedWrite[] = [];
  const write = (subject: string, key: string, value: JsonValue, timestamp: number) => {
    const record = metadataRecord({ subject, key, value, timestamp });
    out.push({ topic: CONTACTS, key: metadataId(subject, key), record, value: serde.serialize(record), timestamp });
  };
  for (const [derivedId, owner] of owners) {
    const derivedSubject = metadataSubject('contact', derivedId);
    const derived = parley.get(derivedSubject) ?? new Map<string, MetadataChange>();
    if (hasOwnAttributes(derived, owner.conversationId) && isLiveContact(derived)) {
      const destinationSubject = metadataSubject('contact', owner.contactId);
      const destination = mergeMetadata((airy.get(destinationSubject) ?? new Map()).values(), parley.get(destinationSubject) ?? new Map());
      const history = destination.get(CONTACT_METADATA_KEYS.mergeHistory);
      const destinationHistory = history !== undefined && !isMetadataTombstone(history) ? decodeMetadataValue(history) : [];
      const merged: MetadataWrite[] = contactMergeWrites({
        source: derived,
        sourceJson: renderContactState(derivedId, derived)!,
        destination,
        destinationHistory: Array.isArray(destinationHistory) ? destinationHistory : [],
        now: input.now,
      });
      const held = (key: string) => destination.get(key) !== undefined && !isMetadataTombstone(destination.get(key)!);
      for (const m of merged) if ('value' in m && !(m.key.startsWith(CONVERSATIONS_PREFIX) && held(m.key))) write(destinationSubject, m.key, m.value, input.now);
    }
    write(derivedSubject, CONTACT_METADATA_KEYS.mergedInto, owner.contactId, owner.linkedAt);
  }
  return out;
}

let cachedSerde: ReturnType<typeof modelSerdes>['metadata'] | undefined;
const metadataSerde = () => (cachedSerde ??= modelSerdes().metadata);

interface Owner {
  contactId: string;
  conversationId: string;
  linkedAt: number;
}

/**
 * Derived contact id → the Airy contact its conversation belongs to (the latest link, a tie to the
 * greater id, as Parley's contact index decides), for Airy contacts other than the derived one.
 */
function airyOwners(airy: Map<string, MetadataState>): Map<string, Owner> {
  const byConversation = new Map<string, Owner>();
  for (const [subject, state] of airy) {
    const parsed = parseMetadataSubject(subject);
    if (parsed?.namespace !== 'contact') continue;
    for (const change of state.values()) {
      if (isMetadataTombstone(change) || !change.key.startsWith(CONVERSATIONS_PREFIX)) continue;
      const conversationId = change.key.slice(CONVERSATIONS_PREFIX.length);
      if (!isCanonicalUuid(conversationId)) continue;
      const best = byConversation.get(conversationId);
      if (best === undefined || change.timestamp > best.linkedAt || (change.timestamp === best.linkedAt && parsed.id > best.contactId)) {
        byConversation.set(conversationId, { contactId: parsed.id, conversationId, linkedAt: change.timestamp });
      }
    }
  }
  const owners = new Map<string, Owner>();
  for (const owner of byConversation.values()) {
    const derivedId = contactId(owner.conversationId);
    if (derivedId !== owner.contactId) owners.set(derivedId, owner);
  }
  return owners;
}

/** Whether the derived contact holds more than what its seed wrote (its own conversation link and created_at). */
function hasOwnAttributes(state: MetadataState, conversationId: string): boolean {
  const seeded = new Set<string>([`${CONVERSATIONS_PREFIX}${conversationId}`, CONTACT_METADATA_KEYS.createdAt]);
  return [...state.values()].some((change) => !isMetadataTombstone(change) && !seeded.has(change.key));
}

function isMetadata(value: unknown): value is Metadata {
  const m = value as Partial<Metadata> | null;
  return (
    typeof m === 'object' && m !== null && typeof m.subject === 'string' && typeof m.key === 'string' && (typeof m.value === 'string' || m.value === null) && typeof m.valueType === 'string' && typeof m.timestamp === 'number'
  );
}

function statesBySubject(records: Iterable<Metadata>): Map<string, MetadataState> {
  const states = new Map<string, MetadataState>();
  for (const record of records) {
    const change: MetadataChange = { key: record.key, value: record.value, valueType: record.valueType, timestamp: record.timestamp };
    states.set(record.subject, mergeMetadata([change], states.get(record.subject)));
  }
  return states;
}
