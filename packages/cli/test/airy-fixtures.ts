/**
 * A small Airy Core installation for the importer's tests: records in Airy's Avro schemas,
 * framed as Confluent's serializer frames them, with the expectations derived from the same
 * data. `airyInstallation(seed)` generates channels, conversations, messages of several content
 * kinds (Messenger text and attachments, Twilio form bodies, a postback with headers, outbound
 * replies, an updated message), metadata, contacts, a read receipt, tags and templates, plus a
 * few records Parley must refuse.
 */
import { airyImport } from '@parley/runtime';
import { channelId, conversationId, messageId, nameBasedUuid } from '@parley/schemas';
import { avroSerde, type AvroSchema } from '@parley/streams/avro';
import fc from 'fast-check';

const { AIRY_CHANNEL_SCHEMA, AIRY_MESSAGE_SCHEMA, AIRY_MESSAGE_SCHEMA_SENDER_TYPE, AIRY_METADATA_SCHEMA, AIRY_READ_RECEIPT_SCHEMA, AIRY_SOURCE_SCHEMA, AIRY_TAG_SCHEMA, AIRY_TEMPLATE_SCHEMA, confluentFrame } = airyImport;

/** One Kafka record of the installation: topic (without namespace), key, value bytes (null: tombstone). */
export interface AiryRecord {
  topic: string;
  key: string;
  value: Buffer | null;
  timestamp: number;
}

export interface AiryInstallation {
  records: AiryRecord[];
  channels: airyImport.AiryChannel[];
  /** The latest version of every good message. */
  messages: airyImport.AiryMessage[];
  /** Conversation id → expected contact.display_name. */
  displayNames: Map<string, string>;
  tags: airyImport.AiryTag[];
  templates: airyImport.AiryTemplate[];
  sources: airyImport.AirySource[];
  /** Records that must be reported bad, by reason fragment. */
  badReasons: string[];
  /** Records that must be reported skipped, by reason fragment. */
  skippedReasons: string[];
}

const topic = (dataset: string) => `application.communication.${dataset}`;
/** Schema ids as a registry hands them out: one per subject version. */
const SCHEMA_IDS = { channel: 1, message: 2, metadata: 3, readReceipt: 4, tag: 5, template: 6, source: 7, messageSenderType: 8 } as const;

function encoder(schema: object, schemaId: number): (value: object) => Buffer {
  const type = avroSerde(schema as AvroSchema).type;
  return (value) => confluentFrame(schemaId, type.toBuffer(value));
}

const encode = {
  channel: encoder(AIRY_CHANNEL_SCHEMA, SCHEMA_IDS.channel),
  message: encoder(AIRY_MESSAGE_SCHEMA, SCHEMA_IDS.message),
  messageSenderType: encoder(AIRY_MESSAGE_SCHEMA_SENDER_TYPE, SCHEMA_IDS.messageSenderType),
  metadata: encoder(AIRY_METADATA_SCHEMA, SCHEMA_IDS.metadata),
  readReceipt: encoder(AIRY_READ_RECEIPT_SCHEMA, SCHEMA_IDS.readReceipt),
  tag: encoder(AIRY_TAG_SCHEMA, SCHEMA_IDS.tag),
  template: encoder(AIRY_TEMPLATE_SCHEMA, SCHEMA_IDS.template),
  source: encoder(AIRY_SOURCE_SCHEMA, SCHEMA_IDS.source),
};

/** Message contents of the kinds Airy stored: the provider's payload as text. */
const contentKinds = {
  messengerText: (text: string) => JSON.stringify({ sender: { id: 'psid' }, message: { mid: 'm', text } }),
  messengerImage: (url: string) => JSON.stringify({ message: { attachments: [{ type: 'image', payload: { url } }] } }),
  twilioForm: (text: string) => `Body=${encodeURIComponent(text)}&From=%2B4915000000&To=%2B4930000000&SmsStatus=received`,
  reply: (text: string) => JSON.stringify({ text }),
};

const word = fc.string({ minLength: 1, maxLength: 30, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz äöü✓ '.split('')) });

export function airyInstallation(seed: number, start = Date.UTC(2024, 0, 1)): AiryInstallation {
  const [texts] = fc.sample(fc.array(word, { minLength: 40, maxLength: 40 }), { seed, numRuns: 1 }) as [string[]];
  let t = start;
  const next = () => (t += 60_000);
  const text = (i: number) => texts[i % texts.length]!;
  const records: AiryRecord[] = [];
  const out: AiryInstallation = { records, channels: [], messages: [], displayNames: new Map(), tags: [], templates: [], sources: [], badReasons: [], skippedReasons: [] };

  const facebook: airyImport.AiryChannel = { id: channelId('facebook', `page-${seed}`), source: 'facebook', sourceChannelId: `page-${seed}`, token: 'page-token-secret', connectionState: 'CONNECTED' };
  const sms: airyImport.AiryChannel = { id: channelId('twilio.sms', `+4930${seed}`), source: 'twilio.sms', sourceChannelId: `+4930${seed}`, token: null, connectionState: 'CONNECTED' };
  for (const c of [facebook, sms]) {
    out.channels.push(c);
    records.push({ topic: topic('channels'), key: c.id, value: encode.channel(c), timestamp: next() });
  }

  const conversations = [
    { channel: facebook, contact: 'psid-1', name: 'Ada Lovelace' },
    { channel: facebook, contact: 'psid-2', name: 'Grace Hopper' },
    { channel: sms, contact: '+4915000000', name: undefined },
  ];
  let i = 0;
  for (const conversation of conversations) {
    const convId = conversationId(conversation.channel.id, conversation.contact);
    for (let n = 0; n < 4; n++, i++) {
      const fromContact = n % 3 !== 2;
      const content =
        conversation.channel.source === 'twilio.sms'
          ? fromContact
            ? contentKinds.twilioForm(text(i))
            : JSON.stringify({ Body: text(i) })
          : !fromContact
            ? contentKinds.reply(text(i))
            : n === 1
              ? contentKinds.messengerImage(`https://cdn.example/${i}.png`)
              : contentKinds.messengerText(text(i));
      const message: airyImport.AiryMessage = {
        id: messageId(conversation.channel.id, `mid-${seed}-${i}`),
        headers: n === 0 ? { 'postback.payload': `start-${i}` } : null,
        isFromContact: fromContact,
        deliveryState: 'DELIVERED',
        senderId: fromContact ? conversation.contact : `app-${seed}`,
        sourceRecipientId: null,
        conversationId: convId,
        channelId: conversation.channel.id,
        source: conversation.channel.source,
        content,
        sentAt: next(),
        updatedAt: null,
      };
      records.push({ topic: topic('messages'), key: message.id, value: encode.message(message), timestamp: message.sentAt });
      out.messages.push(message);
    }
    if (conversation.name !== undefined) {
      out.displayNames.set(convId, conversation.name);
      records.push(metadataRecord('metadata', `conversation:${convId}`, 'contact.display_name', conversation.name, 'text', next()));
    }
  }

  // An outbound reply that failed, then was resent and delivered: two versions, the latest wins.
  const first = out.messages[2]!;
  const resent = { ...first, deliveryState: 'DELIVERED' as const, updatedAt: next() };
  records.splice(records.findIndex((r) => r.key === first.id) + 1, 0, { topic: topic('messages'), key: first.id, value: encode.message({ ...first, deliveryState: 'FAILED', updatedAt: first.sentAt + 1 }), timestamp: first.sentAt + 1 });
  records.push({ topic: topic('messages'), key: resent.id, value: encode.message(resent), timestamp: resent.updatedAt });
  out.messages[2] = resent;

  // A bot's answer from 2020, in Airy's first Message schema (senderType instead of isFromContact).
  const bot: airyImport.AiryMessage = { ...out.messages[0]!, id: messageId(facebook.id, `mid-${seed}-bot`), headers: null, isFromContact: false, senderType: 'APP_USER', senderId: 'rasa-bot', content: contentKinds.reply(text(39)), sentAt: next() };
  records.push({ topic: topic('messages'), key: bot.id, value: encode.messageSenderType(bot), timestamp: bot.sentAt });
  out.messages.push(bot);

  const [conv1, conv2] = [out.messages[0]!.conversationId, out.messages[4]!.conversationId];
  const tag: airyImport.AiryTag = { id: nameBasedUuid('tag', `vip-${seed}`), name: 'VIP', color: 'PURPLE' };
  out.tags.push(tag);
  records.push({ topic: topic('tags'), key: tag.id, value: encode.tag(tag), timestamp: next() });
  const template: airyImport.AiryTemplate = { id: nameBasedUuid('template', `hello-${seed}`), name: 'hello', source: 'facebook', content: JSON.stringify({ text: 'Hello!' }) };
  out.templates.push(template);
  records.push({ topic: topic('templates'), key: template.id, value: encode.template(template), timestamp: next() });
  const source: airyImport.AirySource = { id: `acme-crm-${seed}`, token: 'source-token-secret', name: 'Acme CRM', imageUrl: null, actionEndpoint: 'https://crm.example/airy', createdAt: next() };
  out.sources.push(source);
  records.push({ topic: topic('sources'), key: source.id, value: encode.source(source), timestamp: next() });
  records.push(
    metadataRecord('metadata', `conversation:${conv1}`, `tags.${tag.id}`, '', 'text', next()),
    metadataRecord('metadata', `conversation:${conv1}`, 'state', 'OPEN', 'text', next()),
    metadataRecord('metadata', `message:${out.messages[0]!.id}`, 'reaction.emoji', '❤', 'text', next()),
    metadataRecord('metadata', `channel:${facebook.id}`, 'name', 'Support page', 'text', next()),
    // Airy wrote numbers as doubles.
    metadataRecord('metadata', `conversation:${conv2}`, 'user_data.score', '42.0', 'number', next()),
    metadataRecord('contacts', `contact:${nameBasedUuid('', conv1)}`, 'displayName', 'Ada Lovelace', 'text', next()),
    metadataRecord('contacts', `contact:${nameBasedUuid('', conv1)}`, `conversations.${conv1}`, 'facebook', 'text', next()),
  );
  // Set, then deleted in Airy: nothing to import.
  const deleted = metadataRecord('metadata', `conversation:${conv2}`, 'state', 'CLOSED', 'text', next());
  records.push(deleted, { ...deleted, value: null, timestamp: next() });
  records.push({ topic: topic('read-receipt'), key: conv1, value: encode.readReceipt({ conversationId: conv1, readDate: t + 1 }), timestamp: next() });

  // Left out on purpose.
  records.push(metadataRecord('metadata', `conversation:${conv1}`, 'unread_count', '3.0', 'number', next()));
  records.push(metadataRecord('metadata', 'component:sources-facebook', 'installationStatus', 'installed', 'text', next()));
  out.skippedReasons.push('derived', 'component metadata');
  // Refused: not framed, truncated, an id Parley cannot address, a number that is not one.
  records.push({ topic: topic('messages'), key: 'raw', value: Buffer.from('{"id":"not avro"}'), timestamp: next() });
  records.push({ topic: topic('messages'), key: 'cut', value: encode.message(out.messages[1]!).subarray(0, 20), timestamp: next() });
  const odd = { ...out.messages[1]!, id: 'not-a-uuid' };
  records.push({ topic: topic('messages'), key: odd.id, value: encode.message(odd), timestamp: next() });
  records.push(metadataRecord('metadata', `conversation:${conv2}`, 'user_data.count', 'many', 'number', next()));
  out.badReasons.push('schema registry wire format', 'does not decode', 'id is not a lowercase canonical UUID', 'value does not read as number');
  return out;
}

function metadataRecord(dataset: 'metadata' | 'contacts', subject: string, key: string, value: string, valueType: airyImport.AiryValueType, timestamp: number): AiryRecord {
  const record: airyImport.AiryMetadata = { subject, key, value, valueType, timestamp };
  // Airy keys metadata by UUIDv5(subject, key).
  return { topic: topic(dataset), key: nameBasedUuid(subject, key), value: encode.metadata(record), timestamp };
}


/** A conversation added to the installation later: `count` messages from `contact` on `channel`, a minute apart from `start`. */
export function airyConversation(channel: airyImport.AiryChannel, contact: string, start: number, count = 2): { conversationId: string; messages: airyImport.AiryMessage[]; records: AiryRecord[] } {
  const convId = conversationId(channel.id, contact);
  const messages = Array.from({ length: count }, (_, n): airyImport.AiryMessage => ({
    id: messageId(channel.id, `mid-${contact}-${n}`),
    headers: null,
    isFromContact: true,
    deliveryState: 'DELIVERED',
    senderId: contact,
    sourceRecipientId: null,
    conversationId: convId,
    channelId: channel.id,
    source: channel.source,
    content: JSON.stringify({ message: { text: `hello ${n}` } }),
    sentAt: start + n * 60_000,
    updatedAt: null,
  }));
  return { conversationId: convId, messages, records: messages.map((m) => ({ topic: topic('messages'), key: m.id, value: encode.message(m), timestamp: m.sentAt })) };
}

/** Airy's records of one contact (subject `contact:<id>`): text attributes under Airy's keys, all at `timestamp`. */
export function airyContactRecords(id: string, attributes: Record<string, string>, timestamp: number): AiryRecord[] {
  return Object.entries(attributes).map(([key, value]) => metadataRecord('contacts', `contact:${id}`, key, value, 'text', timestamp));
}
