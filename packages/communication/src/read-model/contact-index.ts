import { CONTACT_METADATA_KEYS, isMetadataTombstone, type MetadataState } from '@parley/schemas';

/** What the index keeps per live contact: enough to list, sort and find it by conversation. */
export interface IndexedContact {
  readonly id: string;
  /** The contact's own `display_name`, if it has one. */
  readonly displayName: string | null;
  /** Linked conversations → when the link was written (ms). */
  readonly conversations: ReadonlyMap<string, number>;
}

const CONVERSATIONS_PREFIX = `${CONTACT_METADATA_KEYS.conversations}.`;

/**
 * Whether a contact's merged metadata is a contact: some attribute is live, and `merged_into` is
 * not (a contact an import merged into another stays hidden, whatever is written to it later).
 */
export function isLiveContact(state: MetadataState): boolean {
  let live = false;
  for (const change of state.values()) {
    if (isMetadataTombstone(change)) continue;
    if (change.key === CONTACT_METADATA_KEYS.mergedInto) return false;
    live = true;
  }
  return live;
}

/**
 * The live contacts, in memory, kept current by the topology's listener (`contactChanged`) and
 * loaded from the `metadata` store at attach. A contact is live while any of its attributes is
 * and `merged_into` is not (see `isLiveContact`); deleting every attribute (contacts.delete,
 * the source of a merge) removes it. A conversation
 * belongs to the contact whose `conversations.<id>` link is the latest (a tie goes to the greater
 * contact id), so a conversation moved by a merge or by contacts.create follows the newest link
 * even while an older one is still being deleted.
 */
export class ContactIndex {
  readonly #contacts = new Map<string, IndexedContact>();
  /** conversation id → contact id → link time. */
  readonly #links = new Map<string, Map<string, number>>();
  /** Every contact `upsert` was called for: a load must not overwrite what the listener told since. */
  readonly #heard = new Set<string>();

  get size(): number {
    return this.#contacts.size;
  }

  /** The listener's news: the contact's whole merged state now. */
  upsert(contactId: string, state: MetadataState): void {
    this.#heard.add(contactId);
    this.#set(contactId, state);
  }

  /** A contact as the store held it at attach: ignored when the listener has told of it since. */
  load(contactId: string, state: MetadataState): void {
    if (!this.#heard.has(contactId)) this.#set(contactId, state);
  }

  #set(contactId: string, state: MetadataState): void {
    this.#unlink(contactId);
    const conversations = new Map<string, number>();
    let displayName: string | null = null;
    if (!isLiveContact(state)) {
      this.#contacts.delete(contactId);
      return;
    }
    for (const change of state.values()) {
      if (isMetadataTombstone(change)) continue;
      if (change.key === CONTACT_METADATA_KEYS.displayName && change.value !== '') displayName = change.value;
      if (change.key.startsWith(CONVERSATIONS_PREFIX)) conversations.set(change.key.slice(CONVERSATIONS_PREFIX.length), change.timestamp);
    }
    this.#contacts.set(contactId, { id: contactId, displayName, conversations });
    for (const [conversationId, at] of conversations) {
      const links = this.#links.get(conversationId) ?? new Map<string, number>();
      links.set(contactId, at);
      this.#links.set(conversationId, links);
    }
  }

  get(contactId: string): IndexedContact | undefined {
    return this.#contacts.get(contactId);
  }

  /** The id of the contact the conversation belongs to (its latest link), if any. */
  contactOf(conversationId: string): string | undefined {
    let best: [string, number] | undefined;
    for (const [contactId, at] of this.#links.get(conversationId) ?? []) {
      if (best === undefined || at > best[1] || (at === best[1] && contactId > best[0])) best = [contactId, at];
    }
    return best?.[0];
  }

  /** The conversations that belong to the contact (whose latest link is this contact's). */
  conversationsOf(contactId: string): string[] {
    const contact = this.#contacts.get(contactId);
    if (contact === undefined) return [];
    return [...contact.conversations.keys()].filter((conversationId) => this.contactOf(conversationId) === contactId);
  }

  all(): IterableIterator<IndexedContact> {
    return this.#contacts.values();
  }

  #unlink(contactId: string): void {
    const old = this.#contacts.get(contactId);
    if (old === undefined) return;
    for (const conversationId of old.conversations.keys()) {
      const links = this.#links.get(conversationId);
      links?.delete(contactId);
      if (links?.size === 0) this.#links.delete(conversationId);
    }
  }
}
