import { metadataDocument, type Channel, type JsonObject, type MetadataChange, type MetadataState, type Tag, type Template } from '@parley/schemas';
import type { ReadOnlyKeyValueStore } from '@parley/streams';
import { CommunicationError } from '../errors.js';
import { COMMUNICATION_STORES } from '../store-names.js';
import type { CommunicationListener } from '../topology/communication-listener.js';
import type { ConversationAggregate } from '../topology/conversation-aggregate.js';
import { toMetadataState } from '../topology/metadata-aggregator.js';
import { listTags, listTemplates, tagInfo, templateInfo, type TemplateListQuery } from './catalog-queries.js';
import { ContactIndex } from './contact-index.js';
import { contactInfo, contactOfConversation, listContacts, recentMessages, type ContactJson, type RecentMessagesQuery } from './contact-queries.js';
import { ConversationIndex, isListable, type ListedAggregate } from './conversation-index.js';
import { channelInfo, conversationInfo, listChannels, listConversations, type ChannelListQuery, type ConversationListQuery } from './conversation-queries.js';
import { listMessages, messageInfo, type MessageListQuery } from './message-queries.js';
import type { CommunicationPage } from './page.js';
import type { ChannelJson, ConversationJson, MessageJson, TagJson, TemplateJson } from './render.js';
import { notReadyWhileRecovering } from './recovering-store.js';
import type { StoreProvider } from './store-provider.js';

/**
 * The query layer of the communication read model, framework-free: HTTP handlers call it and
 * return what it returns. Conversations are listed from an in-memory index (see
 * ConversationIndex) kept current by `listener`, which the topology calls as it processes
 * records; everything else reads the topology's stores. Create it, pass `listener` to
 * `buildCommunicationTopology`, start the app, then `attach(app)`.
 *
 * Errors: RUNTIME_NOT_FOUND for an unknown id, RUNTIME_INVALID_CURSOR for a foreign cursor,
 * RUNTIME_NOT_READY before `attach` has finished.
 */
export class CommunicationReadModel {
  readonly index = new ConversationIndex();
  /** The live contacts (see ContactIndex). */
  readonly contacts = new ContactIndex();
  /** Pass to `buildCommunicationTopology({ listener })`. */
  readonly listener: CommunicationListener;
  readonly #waiters = new Map<string, Set<() => void>>();
  #stores: StoreProvider | undefined;

  constructor() {
    this.listener = {
      conversationChanged: (aggregate) => {
        this.index.upsert(aggregate);
        this.#wake(aggregate.id);
      },
      channelChanged: (channelId, channel) => {
        this.index.setChannel(channelId, channel);
        if (channel !== null) for (const id of [...this.#waiters.keys()]) this.#wake(id);
      },
      contactChanged: (contactId, state) => this.contacts.upsert(contactId, state),
    };
  }

  /** True once `attach` has loaded the index. */
  get attached(): boolean {
    return this.#stores !== undefined;
  }

  /**
   * Loads the index from the stores (all conversations and channels) and starts answering
   * queries. Records processed meanwhile reach the index through the listener and win over
   * what the load reads, being newer.
   */
  async attach(stores: StoreProvider): Promise<void> {
    this.index.beginLoad();
    try {
      for await (const { key, value } of stores.store<string, Channel>(COMMUNICATION_STORES.channels).all()) this.index.loadChannel(key, value);
      for await (const { value } of stores.store<string, ConversationAggregate>(COMMUNICATION_STORES.conversations).all()) this.index.loadConversation(value);
      // Subjects are `<namespace>:<id>` with a UUID id: the contacts are one key range.
      const contactSubjects = { from: 'contact:', to: 'contact:\uffff' };
      for await (const { key, value } of stores.store<string, MetadataChange[]>(COMMUNICATION_STORES.metadata).range(contactSubjects)) {
        this.contacts.load(key.slice('contact:'.length), toMetadataState(value));
      }
    } finally {
      this.index.endLoad();
    }
    this.#stores = stores;
    for (const id of [...this.#waiters.keys()]) this.#wake(id);
  }

  // Queries (see conversation-queries.ts, message-queries.ts, catalog-queries.ts).

  listConversations(query: ConversationListQuery = {}): CommunicationPage<ConversationJson> {
    return listConversations(this, query);
  }

  conversationInfo(conversationId: string): ConversationJson {
    return conversationInfo(this, conversationId);
  }

  listMessages(query: MessageListQuery): Promise<CommunicationPage<MessageJson>> {
    return listMessages(this, query);
  }

  messageInfo(messageId: string): MessageJson {
    return messageInfo(this, messageId);
  }

  listChannels(query: ChannelListQuery = {}): ChannelJson[] {
    return listChannels(this, query);
  }

  channelInfo(channelId: string): ChannelJson {
    return channelInfo(this, channelId);
  }

  listTags(): Promise<TagJson[]> {
    return listTags(this);
  }

  tagInfo(tagId: string): TagJson {
    return tagInfo(this, tagId);
  }

  listTemplates(query: TemplateListQuery = {}): Promise<TemplateJson[]> {
    return listTemplates(this, query);
  }

  templateInfo(templateId: string): TemplateJson {
    return templateInfo(this, templateId);
  }

  listContacts(): ContactJson[] {
    return listContacts(this);
  }

  contactInfo(contactId: string): ContactJson {
    return contactInfo(this, contactId);
  }

  contactOfConversation(conversationId: string): ContactJson {
    return contactOfConversation(this, conversationId);
  }

  recentMessages(query: RecentMessagesQuery): ReturnType<typeof recentMessages> {
    return recentMessages(this, query);
  }

  // Lookups for the query functions and the command writers.

  /** A listed conversation (it has a message and its channel is known), read from the store. */
  conversation(conversationId: string): ListedAggregate | undefined {
    if (this.#stores === undefined || this.index.get(conversationId) === undefined) return undefined;
    const aggregate = this.store<string, ConversationAggregate>(COMMUNICATION_STORES.conversations).get(conversationId);
    return aggregate !== undefined && isListable(aggregate) ? aggregate : undefined;
  }

  /**
   * The conversation once it is listed, waiting up to `timeoutMs` for it (a message written
   * just before may still be on its way through the topology). Each caller waits on its own:
   * one conversation that never appears delays no other. When `until` settles first the wait ends
   * then with what is listed (the caller knows nothing for it is pending any more).
   */
  waitForConversation(conversationId: string, timeoutMs: number, until?: Promise<unknown>): Promise<ListedAggregate | undefined> {
    const now = this.#stores === undefined ? undefined : this.conversation(conversationId);
    if (now !== undefined || timeoutMs <= 0) return Promise.resolve(now);
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(conversationId) ?? new Set<() => void>();
      this.#waiters.set(conversationId, waiters);
      const done = (value: ListedAggregate | undefined) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (waiters.size === 0 && this.#waiters.get(conversationId) === waiters) this.#waiters.delete(conversationId);
        resolve(value);
      };
      const check = () => {
        let found: ListedAggregate | undefined;
        try {
          found = this.#stores === undefined ? undefined : this.conversation(conversationId);
        } catch {
          return; // the store is recovering: the next wake-up (or the timeout) answers
        }
        if (found !== undefined) done(found);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      waiters.add(check);
      // The caller knows sooner that it will not come: answer what is listed then.
      void until?.then(
        () => done(this.#stores === undefined ? undefined : this.conversation(conversationId)),
        () => undefined,
      );
    });
  }

  channel(channelId: string): Channel | undefined {
    return this.index.channel(channelId);
  }

  tag(tagId: string): Tag | undefined {
    return this.store<string, Tag>(COMMUNICATION_STORES.tags).get(tagId);
  }

  template(templateId: string): Template | undefined {
    return this.store<string, Template>(COMMUNICATION_STORES.templates).get(templateId);
  }

  /** A subject's merged metadata, tombstones included (empty when it has none). */
  metadataState(subject: string): MetadataState {
    return toMetadataState(this.store<string, MetadataChange[]>(COMMUNICATION_STORES.metadata).get(subject));
  }

  /** A subject's metadata document. */
  metadata(subject: string): JsonObject {
    return metadataDocument(this.metadataState(subject));
  }

  /** @throws CommunicationError RUNTIME_NOT_READY until `attach` has loaded the index. */
  assertReady(): void {
    if (this.#stores === undefined) throw new CommunicationError('RUNTIME_NOT_READY', 'the communication read model is still loading');
  }

  /** A store of the topology; RUNTIME_NOT_READY before `attach`. */
  store<TKey, TValue>(name: string): ReadOnlyKeyValueStore<TKey, TValue> {
    if (this.#stores === undefined) throw new CommunicationError('RUNTIME_NOT_READY', 'the communication read model is still loading');
    return notReadyWhileRecovering(this.#stores.store<TKey, TValue>(name));
  }

  #wake(conversationId: string): void {
    const waiters = this.#waiters.get(conversationId);
    if (waiters !== undefined) for (const check of [...waiters]) check();
  }
}
