import { isCanonicalUuid, MESSAGE_METADATA_KEYS, metadataId, type Message, type Metadata } from '@parley/schemas';
import type { Processor, ProcessorContext, StreamRecord, TypedKeyValueStore } from '@parley/streams';
import { COMMUNICATION_STORES } from '../store-names.js';
import type { CommunicationListener } from './communication-listener.js';
import { compareTimeAndId, emptyConversation, isUnread, type ConversationAggregate } from './conversation-aggregate.js';
import type { ConversationEvent } from './conversation-event.js';
import { contactSeedRecords } from './contact-seed.js';
import { conversationKeyRange, messageOrderKey, sentBetweenRange } from './message-order-key.js';

/** What must be found again by scanning the conversation's messages (rare: deletes, moves). */
interface Rescan {
  last: boolean;
  contact: boolean;
  created: boolean;
}

/**
 * Derives conversations, keyed by conversation id, from messages, read receipts and metadata
 * documents. Stores: `conversations` (the aggregate), `conversation-messages` (every message in
 * (sentAt, id) order, for messages.list and for the rare rescans) and `message-positions` (the
 * sentAt each message is indexed under, so an update that moves a message, or a replayed
 * record, finds its entry). Every operation is idempotent: a replayed message or receipt changes
 * nothing.
 *
 * Derivation: created_at is the earliest sentAt; last_message the message with the greatest
 * (sentAt, id), refreshed when that message is updated; the latest contact message gives the
 * source conversation id; unread_count counts contact messages sent after the latest read
 * receipt. Messages that a receipt covers get message metadata `user_read` = the receipt's
 * readAt (Airy wrote the message's sentAt), forwarded as Metadata records for the metadata
 * topic. The first message of a conversation also seeds its contact (contact-seed.ts), forwarded
 * for the contacts topic. Receipts and the rare rescans scan the conversation's messages (async); new messages
 * never do.
 */
export class ConversationAggregator implements Processor<string, ConversationEvent, string, Metadata> {
  readonly #listener: CommunicationListener | undefined;
  #context!: ProcessorContext<string, Metadata>;
  #conversations!: TypedKeyValueStore<string, ConversationAggregate>;
  #index!: TypedKeyValueStore<string, Message>;
  #positions!: TypedKeyValueStore<string, number>;

  constructor(listener: CommunicationListener | undefined) {
    this.#listener = listener;
  }

  init(context: ProcessorContext<string, Metadata>): void {
    this.#context = context;
    this.#conversations = context.getStateStore(COMMUNICATION_STORES.conversations);
    this.#index = context.getStateStore(COMMUNICATION_STORES.conversationMessages);
    this.#positions = context.getStateStore(COMMUNICATION_STORES.messagePositions);
  }

  process(record: StreamRecord<string, ConversationEvent>): void | Promise<void> {
    const { key: id, value: event } = record;
    if (id === null || event === null) return undefined;
    const stored = this.#conversations.get(id);
    const aggregate: ConversationAggregate = stored === undefined ? emptyConversation(id) : { ...stored };
    switch (event.type) {
      case 'message':
        return this.#onMessage(aggregate, event.message, record);
      case 'message-deleted':
        return this.#onDeleted(aggregate, event.messageId);
      case 'read':
        return this.#onRead(aggregate, event.readAt, record);
      case 'metadata':
        aggregate.metadata = event.document;
        return this.#save(aggregate);
    }
  }

  #onMessage(aggregate: ConversationAggregate, message: Message, record: StreamRecord<string, unknown>): void | Promise<void> {
    const { id } = aggregate;
    const contact = message.senderType === 'CONTACT';
    const oldSentAt = this.#positions.get(message.id);
    const oldKey = oldSentAt === undefined ? undefined : messageOrderKey(id, oldSentAt, message.id);
    const old = oldKey === undefined ? undefined : this.#index.get(oldKey);
    const newKey = messageOrderKey(id, message.sentAt, message.id);
    if (oldKey !== undefined && oldKey !== newKey) this.#index.delete(oldKey);
    this.#index.put(newKey, message);
    if (oldSentAt !== message.sentAt) this.#positions.put(message.id, message.sentAt);

    const wasContact = old?.senderType === 'CONTACT';
    const wasCounted = old !== undefined && wasContact && isUnread(old.sentAt, aggregate.readAt);
    const nowCounted = contact && isUnread(message.sentAt, aggregate.readAt);
    aggregate.unreadCount = Math.max(0, aggregate.unreadCount + Number(nowCounted) - Number(wasCounted));
    if (old === undefined) aggregate.messageCount += 1;
    if (old === undefined && aggregate.messageCount === 1) this.#seedContact(message, record);
    // A contact message first seen after a receipt that covers it is read on arrival.
    if (contact && !nowCounted && !wasContact && aggregate.readAt !== null) this.#emitUserRead(message.id, aggregate.readAt, record);

    aggregate.channelId = message.channelId;
    aggregate.source = message.source;
    if (aggregate.sourceRecipientId === null && message.sourceRecipientId !== null) aggregate.sourceRecipientId = message.sourceRecipientId;
    const rescan: Rescan = { last: false, contact: false, created: false };
    if (aggregate.createdAt === null || message.sentAt < aggregate.createdAt) aggregate.createdAt = message.sentAt;
    else if (old !== undefined && old.sentAt === aggregate.createdAt && message.sentAt > old.sentAt) rescan.created = true;

    const last = aggregate.lastMessage;
    if (last === null || compareTimeAndId(message.sentAt, message.id, last.sentAt, last.id) >= 0) aggregate.lastMessage = message;
    else if (last.id === message.id) rescan.last = true;

    const latest = aggregate.latestContact;
    if (contact && (latest === null || compareTimeAndId(message.sentAt, message.id, latest.sentAt, latest.id) >= 0)) {
      aggregate.latestContact = { id: message.id, sentAt: message.sentAt, senderId: message.senderId };
    } else if (latest?.id === message.id) {
      rescan.contact = true;
    }
    return this.#finish(aggregate, rescan);
  }

  #onDeleted(aggregate: ConversationAggregate, messageId: string): void | Promise<void> {
    const sentAt = this.#positions.get(messageId);
    if (sentAt === undefined) return undefined;
    this.#positions.delete(messageId);
    const old = this.#index.delete(messageOrderKey(aggregate.id, sentAt, messageId));
    if (old === undefined) return undefined;
    aggregate.messageCount = Math.max(0, aggregate.messageCount - 1);
    if (old.senderType === 'CONTACT' && isUnread(old.sentAt, aggregate.readAt)) aggregate.unreadCount = Math.max(0, aggregate.unreadCount - 1);
    return this.#finish(aggregate, {
      last: aggregate.lastMessage?.id === messageId,
      contact: aggregate.latestContact?.id === messageId,
      created: aggregate.createdAt === old.sentAt,
    });
  }

  async #onRead(aggregate: ConversationAggregate, readAt: number, record: StreamRecord<string, unknown>): Promise<void> {
    // Only a later receipt moves the mark: replays and out-of-order receipts change nothing.
    if (!Number.isFinite(readAt) || (aggregate.readAt !== null && readAt <= aggregate.readAt)) return;
    const range = sentBetweenRange(aggregate.id, aggregate.readAt, readAt);
    let nowRead = 0;
    for await (const { value: message } of this.#index.range(range)) {
      if (message.senderType !== 'CONTACT') continue;
      nowRead += 1;
      this.#emitUserRead(message.id, readAt, record);
    }
    aggregate.readAt = readAt;
    aggregate.unreadCount = Math.max(0, aggregate.unreadCount - nowRead);
    this.#save(aggregate);
  }

  #finish(aggregate: ConversationAggregate, rescan: Rescan): void | Promise<void> {
    if (!rescan.last && !rescan.contact && !rescan.created) return this.#save(aggregate);
    return this.#rescan(aggregate, rescan).then(() => this.#save(aggregate));
  }

  /** Finds the last message, the latest contact message and the earliest sentAt again. */
  async #rescan(aggregate: ConversationAggregate, rescan: Rescan): Promise<void> {
    const range = conversationKeyRange(aggregate.id);
    if (rescan.last || rescan.contact) {
      if (rescan.last) aggregate.lastMessage = null;
      if (rescan.contact) aggregate.latestContact = null;
      for await (const { value: message } of this.#index.range({ ...range, reverse: true })) {
        if (rescan.last && aggregate.lastMessage === null) aggregate.lastMessage = message;
        if (rescan.contact && aggregate.latestContact === null && message.senderType === 'CONTACT') {
          aggregate.latestContact = { id: message.id, sentAt: message.sentAt, senderId: message.senderId };
        }
        if (aggregate.lastMessage !== null && (!rescan.contact || aggregate.latestContact !== null)) break;
      }
    }
    if (rescan.created) {
      aggregate.createdAt = null;
      for await (const { value: message } of this.#index.range(range)) {
        aggregate.createdAt = message.sentAt;
        break;
      }
    }
  }

  #save(aggregate: ConversationAggregate): void {
    if (aggregate.messageCount === 0) {
      aggregate.lastMessage = null;
      aggregate.latestContact = null;
      aggregate.createdAt = null;
    }
    this.#conversations.put(aggregate.id, aggregate);
    this.#listener?.conversationChanged(aggregate);
  }

  #seedContact(message: Message, record: StreamRecord<string, unknown>): void {
    for (const seed of contactSeedRecords(message)) this.#context.forward({ key: seed.key, value: seed.value, timestamp: message.sentAt, headers: record.headers });
  }

  /** Message metadata `user_read` = readAt (ms), at time readAt; skipped for ids no metadata key can name. */
  #emitUserRead(messageId: string, readAt: number, record: StreamRecord<string, unknown>): void {
    if (!isCanonicalUuid(messageId)) return;
    const subject = `message:${messageId}`;
    const key = MESSAGE_METADATA_KEYS.userRead;
    this.#context.forward({
      key: metadataId(subject, key),
      value: { subject, key, value: String(readAt), valueType: 'NUMBER', timestamp: readAt },
      timestamp: readAt,
      headers: record.headers,
    });
  }
}
