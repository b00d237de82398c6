import {
  channelId,
  COMMUNICATION_TOPICS,
  conversationId,
  messageId,
  metadataId,
  metadataRecord,
  type Channel,
  type JsonValue,
  type Message,
  type Tag,
  type Template,
} from '@parley/schemas';
import { Serdes, type Log, type RecordMetadata } from '@parley/streams';
import { TopologyTestDriver } from '@parley/streams/testing';
import { buildCommunicationTopology } from './topology/communication-topology.js';
import { CommunicationReadModel } from './read-model/communication-read-model.js';
import { communicationSerdes, type CommunicationSerdes } from './serdes.js';

/**
 * `@parley/communication/testing`: realistic records of the communication model (a Facebook page
 * and an SMS number, Messenger webhook payloads as message content) and a TopologyTestDriver
 * harness with the read model attached. Shared by the communication and runtime tests.
 */

export const PAGE_ID = '104857600123456';
export const FACEBOOK_CHANNEL = channelId('facebook', PAGE_ID);
export const SMS_CHANNEL = channelId('twilio.sms', '+4915112345678');

export function facebookChannel(overrides: Partial<Channel> = {}): Channel {
  return { id: FACEBOOK_CHANNEL, source: 'facebook', sourceChannelId: PAGE_ID, token: 'EAAG-page-token', connectionState: 'CONNECTED', ...overrides };
}

export function smsChannel(overrides: Partial<Channel> = {}): Channel {
  return { id: SMS_CHANNEL, source: 'twilio.sms', sourceChannelId: '+4915112345678', token: null, connectionState: 'CONNECTED', ...overrides };
}

/** The conversation with contact `psid` on the Facebook page. */
export function facebookConversation(psid: string): string {
  return conversationId(FACEBOOK_CHANNEL, psid);
}

export interface MessageSpec {
  psid: string;
  mid: string;
  sentAt: number;
  text?: string;
  /** Default CONTACT (inbound); USER is a reply through the API. */
  senderType?: Message['senderType'];
  channel?: Channel;
  deliveryState?: Message['deliveryState'];
  updatedAt?: number | null;
}

/** A Messenger message: inbound from the contact (content = the webhook's messaging event) or a reply. */
export function facebookMessage(spec: MessageSpec): Message {
  const channel = spec.channel ?? facebookChannel();
  const senderType = spec.senderType ?? 'CONTACT';
  const contact = senderType === 'CONTACT';
  const content = contact
    ? { sender: { id: spec.psid }, recipient: { id: channel.sourceChannelId }, timestamp: spec.sentAt, message: { mid: spec.mid, text: spec.text ?? 'Hello' } }
    : { recipient: { id: spec.psid }, message: { text: spec.text ?? 'Hi, how can we help?' } };
  return {
    id: messageId(channel.id, spec.mid),
    headers: null,
    senderType,
    senderId: contact ? spec.psid : 'agent-7',
    deliveryState: spec.deliveryState ?? (contact ? 'DELIVERED' : 'PENDING'),
    conversationId: conversationId(channel.id, spec.psid),
    channelId: channel.id,
    source: channel.source,
    sourceRecipientId: null,
    content: JSON.stringify(content),
    sentAt: spec.sentAt,
    updatedAt: spec.updatedAt ?? null,
  };
}

export function tag(id: string, name: string, color: Tag['color'] = 'BLUE'): Tag {
  return { id, name, color };
}

export function template(id: string, name: string, source = 'facebook', content: JsonValue = { text: name }): Template {
  return { id, name, source, content: JSON.stringify(content) };
}

/** A driver over the communication topology with the read model attached and typed input pipes. */
export interface Harness {
  driver: TopologyTestDriver;
  readModel: CommunicationReadModel;
  serdes: CommunicationSerdes;
  message(message: Message): Promise<void>;
  deleteMessage(id: string, timestamp: number): Promise<void>;
  /** Sets `key` of `subject` to `value` at `timestamp`. */
  metadata(subject: string, key: string, value: JsonValue, timestamp: number): Promise<void>;
  /** Deletes `key` of `subject` at `timestamp` (a Kafka tombstone). */
  deleteMetadata(subject: string, key: string, timestamp: number): Promise<void>;
  readReceipt(conversation: string, readAt: number): Promise<void>;
  channel(channel: Channel): Promise<void>;
  deleteChannel(id: string): Promise<void>;
  tag(tag: Tag): Promise<void>;
  template(template: Template): Promise<void>;
  /** A Log `append` that pipes into the driver (processed before it resolves), with offsets per topic. */
  log: Pick<Log, 'append'>;
  /** Every record appended through `log`, decoded keys. */
  appended: { topic: string; key: string; value: Buffer | null; timestamp: number | undefined }[];
  close(): Promise<void>;
}

export async function createHarness(options: { partitions?: number; autoCommit?: boolean } = {}): Promise<Harness> {
  const serdes = communicationSerdes();
  const readModel = new CommunicationReadModel();
  const topology = buildCommunicationTopology({ listener: readModel.listener, serdes, persistent: false });
  const driver = await TopologyTestDriver.create(topology, { partitions: options.partitions ?? 1, autoCommit: options.autoCommit ?? true });
  await readModel.attach({ store: (name) => driver.getKeyValueStore(name) });
  const appended: Harness['appended'] = [];
  const offsets = new Map<string, number>();
  const key = serdes.key;
  const topic = <T>(name: string, serde: { serialize(v: T): Buffer; deserialize(b: Buffer): T }) => driver.createInputTopic<string, T>(name, key, serde as never);
  const messages = topic(COMMUNICATION_TOPICS.messages.name, serdes.message);
  const metadata = topic(COMMUNICATION_TOPICS.metadata.name, serdes.metadata);
  const receipts = topic(COMMUNICATION_TOPICS.readReceipts.name, serdes.readReceipt);
  const channels = topic(COMMUNICATION_TOPICS.channels.name, serdes.channel);
  const tags = topic(COMMUNICATION_TOPICS.tags.name, serdes.tag);
  const templates = topic(COMMUNICATION_TOPICS.templates.name, serdes.template);
  return {
    driver,
    readModel,
    serdes,
    message: (m) => messages.pipeInputAsync(m.id, m, m.updatedAt ?? m.sentAt),
    deleteMessage: (id, timestamp) => messages.pipeInputAsync(id, null, timestamp),
    metadata: (subject, k, value, timestamp) =>
      metadata.pipeInputAsync(metadataId(subject, k), metadataRecord({ subject, key: k, value, timestamp }), timestamp),
    deleteMetadata: (subject, k, timestamp) => metadata.pipeInputAsync(metadataId(subject, k), null, timestamp),
    readReceipt: (conversation, readAt) => receipts.pipeInputAsync(conversation, { conversationId: conversation, readAt, userId: 'agent-7' }, readAt),
    channel: (c) => channels.pipeInputAsync(c.id, c, 0),
    deleteChannel: (id) => channels.pipeInputAsync(id, null, 0),
    tag: (t) => tags.pipeInputAsync(t.id, t, 0),
    template: (t) => templates.pipeInputAsync(t.id, t, 0),
    log: {
      append: async (topicName, records) => {
        const raw = driver.createInputTopic<Buffer, Buffer>(topicName, Serdes.bytes(), Serdes.bytes());
        const out: RecordMetadata[] = [];
        for (const record of records) {
          appended.push({ topic: topicName, key: record.key?.toString('utf8') ?? '', value: record.value, timestamp: record.timestamp });
          await raw.pipeRecordAsync({ key: record.key, value: record.value, ...(record.timestamp === undefined ? {} : { timestamp: record.timestamp }) });
          const offset = offsets.get(topicName) ?? 0;
          offsets.set(topicName, offset + 1);
          out.push({ topic: topicName, partition: 0, offset });
        }
        return out;
      },
    },
    appended,
    close: () => driver.close(),
  };
}
