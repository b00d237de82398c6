/**
 * Events: what the publisher makes of the communication topics' records, with Airy's envelope
 * `{type, payload, timestamp}` (payloads snake_case, as the Core API renders them).
 *
 * | record | event | lane |
 * |---|---|---|
 * | message, `updatedAt` null | `message.created` `{conversation_id, channel_id, message}` | conversation id |
 * | message, `updatedAt` set | `message.updated` (same payload) | conversation id |
 * | conversation aggregate (the communication app's `conversations` changelog) | `conversation.updated` `{id, created_at, channel_id, source, metadata, last_message}` | conversation id |
 * | channel | `channel.updated` `{id, source, source_channel_id, connected}` | `channel:<id>` |
 * | tag (tombstone: `deleted: true`) | `tag.updated` `{id, name, color}` | `tag:<id>` |
 * | contact metadata (the communication app's `metadata` changelog, subjects `contact:<id>`) | `contact.updated`: the contact rendered from its own attributes (`renderContactState`); `{id, deleted: true}` once none is left | `contact:<id>` |
 *
 * The event id is derived from the record's position (topic, partition, offset) and the type, so a
 * publisher that processes a record again after a crash makes the same id: receivers dedupe on it.
 */
import { createHash } from 'node:crypto';
import { COMMUNICATION_TOPICS } from '@parley/schemas';
import type { LogRecord } from '@parley/streams';
import { COMMUNICATION_STORES, communicationSerdes, modelSerdes, renderChannel, renderContactState, renderMessage, renderTag, toMetadataState, type ConversationAggregate } from '@parley/communication';
import { frameBody, unframeBody } from './framed-body.js';

export const WEBHOOK_EVENT_TYPES = ['message.created', 'message.updated', 'conversation.updated', 'channel.updated', 'tag.updated', 'contact.updated'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** An event as stored on `webhooks.events` (encodeEvent). */
export interface WebhookEvent {
  /** `evt_<32 hex>`: the `webhook-id` of every delivery of it. */
  id: string;
  type: WebhookEventType;
  /** Events of one lane (conversation or entity) are delivered in order per webhook. */
  lane: string;
  /** When the change was logged (ms): events logged before a webhook was subscribed are not sent to it. */
  loggedAt: number;
  /** The body sent: `{"type", "payload", "timestamp"}`. */
  body: string;
}

type EventFields = Omit<WebhookEvent, 'body'>;

/** The stored form of an event on `webhooks.events`: its fields, a newline, the body as it is (framed-body.ts). */
export function encodeEvent(event: WebhookEvent): Buffer {
  return Buffer.from(frameBody({ id: event.id, type: event.type, lane: event.lane, loggedAt: event.loggedAt } satisfies EventFields, event.body));
}

/** Reads both stored forms of an event: framed, and the earlier single JSON object. */
export function decodeEvent(value: Buffer): WebhookEvent {
  const text = value.toString('utf8');
  const framed = unframeBody<EventFields>(text);
  return framed === undefined ? (JSON.parse(text) as WebhookEvent) : { ...framed.fields, body: framed.body };
}

/** The topics the publisher reads, given the communication app's id (its changelog carries the conversations). */
export function publisherTopics(communicationAppId: string): { messages: string; channels: string; tags: string; conversations: string; metadata: string } {
  return {
    messages: COMMUNICATION_TOPICS.messages.name,
    channels: COMMUNICATION_TOPICS.channels.name,
    tags: COMMUNICATION_TOPICS.tags.name,
    conversations: `${communicationAppId}-${COMMUNICATION_STORES.conversations}-changelog`,
    metadata: `${communicationAppId}-${COMMUNICATION_STORES.metadata}-changelog`,
  };
}

const CONTACT_SUBJECT = 'contact:';

export function eventId(record: Pick<LogRecord, 'topic' | 'partition' | 'offset'>, type: WebhookEventType): string {
  return `evt_${createHash('sha256').update(`${record.topic}\0${record.partition}\0${record.offset}\0${type}`).digest('hex').slice(0, 32)}`;
}

export class EventMapper {
  readonly #serdes = modelSerdes();
  readonly #conversation = communicationSerdes().conversation;
  readonly #metadataState = communicationSerdes().metadataState;
  readonly #topics: ReturnType<typeof publisherTopics>;

  constructor(communicationAppId: string) {
    this.#topics = publisherTopics(communicationAppId);
  }

  /** The events of one record (none for a tombstone other than a tag's). Throws on an unreadable record. */
  eventsOf(record: LogRecord): WebhookEvent[] {
    const t = this.#topics;
    const event = (type: WebhookEventType, lane: string, payload: unknown, timestamp: number): WebhookEvent => ({
      id: eventId(record, type),
      type,
      lane,
      loggedAt: record.timestamp,
      body: JSON.stringify({ type, payload, timestamp }),
    });
    if (record.topic === t.tags) {
      const key = record.key?.toString('utf8') ?? '';
      if (record.value === null) return [event('tag.updated', `tag:${key}`, { id: key, deleted: true }, record.timestamp)];
      const tag = this.#serdes.tag.deserialize(record.value, record.topic);
      return [event('tag.updated', `tag:${tag.id}`, renderTag(tag), record.timestamp)];
    }
    if (record.topic === t.metadata) {
      const subject = record.key?.toString('utf8') ?? '';
      if (!subject.startsWith(CONTACT_SUBJECT)) return [];
      const id = subject.slice(CONTACT_SUBJECT.length);
      const contact = record.value === null ? undefined : renderContactState(id, toMetadataState(this.#metadataState.deserialize(record.value, record.topic)));
      return [event('contact.updated', subject, contact ?? { id, deleted: true }, record.timestamp)];
    }
    if (record.value === null) return [];
    if (record.topic === t.messages) {
      const m = this.#serdes.message.deserialize(record.value, record.topic);
      const payload = { conversation_id: m.conversationId, channel_id: m.channelId, message: renderMessage(m) };
      return m.updatedAt === null ? [event('message.created', m.conversationId, payload, m.sentAt)] : [event('message.updated', m.conversationId, payload, m.updatedAt)];
    }
    if (record.topic === t.channels) {
      const c = this.#serdes.channel.deserialize(record.value, record.topic);
      const { id, source, source_channel_id, connected } = renderChannel(c);
      return [event('channel.updated', `channel:${c.id}`, { id, source, source_channel_id, connected }, record.timestamp)];
    }
    if (record.topic === t.conversations) {
      const a: ConversationAggregate = this.#conversation.deserialize(record.value, record.topic);
      if (a.lastMessage === null) return []; // metadata of a conversation without messages: not a conversation yet
      const payload = {
        id: a.id,
        created_at: a.createdAt === null ? null : new Date(a.createdAt).toISOString(),
        channel_id: a.channelId,
        source: a.source,
        metadata: { ...a.metadata, unread_count: a.unreadCount },
        last_message: renderMessage(a.lastMessage),
      };
      return [event('conversation.updated', a.id, payload, record.timestamp)];
    }
    return [];
  }
}
