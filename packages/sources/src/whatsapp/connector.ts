/**
 * The WhatsApp connector:
 *
 * - PENDING outbound messages of `whatsapp` channels → `POST /<version>/<PHONE_NUMBER_ID>/messages`
 *   (the channel's token as Bearer) with `{ "messaging_product": "whatsapp", "recipient_type":
 *   "individual", "to": <wa_id>, …content }` — the content is a Cloud API message body such as
 *   `{"type":"text","text":{"body":"hi"}}` → DELIVERED with `source.id` = `messages[0].id` (the
 *   wamid), or FAILED with `error` / `source.error` from Graph's error body (the 24-hour window's
 *   131047 included: reported, not swallowed). Rate limits are retried with backoff
 *   (../meta-graph/graph-client.ts); Airy's 300 s staleness and "cannot start a conversation"
 *   rules apply (the shared send step, ../meta-graph/meta-sender.ts). Every delivered message is
 *   also written to `source.whatsapp.sent` under its wamid, stamped with the time the send
 *   began, for the router to apply its statuses.
 * - Mark-read: a read receipt of a WhatsApp conversation (an agent read it, `conversations.mark-read`)
 *   → `POST …/messages {"messaging_product":"whatsapp","status":"read","message_id":<wamid>}` for
 *   the conversation's latest contact message read by then. A refused mark-read changes nothing
 *   in Parley (the blue ticks are a courtesy to the contact), so nothing is written for it.
 */
import { COMMUNICATION_TOPICS, type Channel, type ReadReceipt } from '@parley/schemas';
import { Serdes, StreamsBuilder, type Processor, type StreamRecord, type Topology } from '@parley/streams';
import { modelSerdes } from '@parley/communication';
import { GraphError, metaMessageStreams, parseContentObject, sendPendingMessages, type MetaConnectorOptions, type MetaSendSpec } from '../meta-graph/index.js';
import { WHATSAPP_SENT_TOPIC, WHATSAPP_SOURCE } from './whatsapp-topics.js';

/** Names of the connector's stores and internal topics (part of the topology fingerprint). */
export const WHATSAPP_CONNECTOR_NAMES = Object.freeze({
  channelsStore: 'whatsapp-connector-channels',
  contactsStore: 'whatsapp-connector-contacts',
  latestStore: 'whatsapp-connector-latest-contact-message',
  pendingRepartition: 'whatsapp-connector-pending',
  deliver: 'whatsapp-connector-deliver',
  markRead: 'whatsapp-connector-mark-read',
});

export type WhatsAppConnectorOptions = MetaConnectorOptions;

const SEND: MetaSendSpec = {
  source: WHATSAPP_SOURCE,
  displayName: 'WhatsApp',
  noRecipient: 'cannot start a conversation: no source_recipient_id (wa_id) and no message from the contact yet',
  badContent: 'the content must be a WhatsApp message body such as {"type":"text","text":{"body":"hello"}}',
  request: (channel, token, recipient, content) => ({
    method: 'POST',
    path: `/${encodeURIComponent(channel.sourceChannelId)}/messages`,
    token,
    body: { ...content, messaging_product: 'whatsapp', recipient_type: 'individual', to: recipient },
  }),
  /** The wamid: `messages[0].id`. */
  sentId: (answer) => {
    const id = (answer as { messages?: { id?: unknown }[] } | undefined)?.messages?.[0]?.id;
    return typeof id === 'string' && id.length > 0 ? id : null;
  },
};

/** The latest contact message of a conversation, for mark-read. */
interface LatestContactMessage {
  wamid: string;
  channelId: string;
  sentAt: number;
}

/** Adds the connector to `builder`. */
export function addWhatsAppConnector(builder: StreamsBuilder, options: WhatsAppConnectorOptions): void {
  const serdes = options.serdes ?? modelSerdes();
  const { channels, fromContacts, pending } = metaMessageStreams(builder, WHATSAPP_SOURCE, WHATSAPP_CONNECTOR_NAMES, serdes);
  sendPendingMessages(pending, SEND, options, WHATSAPP_CONNECTOR_NAMES.deliver, serdes)
    .filter((_k, v) => v.sentId !== null)
    .map((_k, v) => [v.sentId!, v.outcome.message] as const)
    .to(WHATSAPP_SENT_TOPIC, { keySerde: serdes.key, valueSerde: serdes.message });

  // Mark-read: read receipts joined with the latest contact message of their conversation.
  const latest = fromContacts
    .flatMap((_id, m) => {
      const wamid = wamidOf(m.content);
      return wamid === undefined ? [] : [[m.conversationId, { wamid, channelId: m.channelId, sentAt: m.sentAt }] as const];
    })
    .toTable({ named: WHATSAPP_CONNECTOR_NAMES.latestStore, materialized: { storeName: WHATSAPP_CONNECTOR_NAMES.latestStore, keySerde: serdes.key, valueSerde: Serdes.json<LatestContactMessage>() } });
  builder
    .stream(COMMUNICATION_TOPICS.readReceipts.name, { keySerde: serdes.key, valueSerde: serdes.readReceipt })
    .filter((_k, r) => r !== null)
    .join(latest, (receipt: ReadReceipt, message: LatestContactMessage) => ({ receipt, message }))
    .leftJoin(channels, (_k, v) => v.message.channelId, (v, channel) => ({ ...v, channel }))
    .process(() => new MarkReadProcessor(options), { named: WHATSAPP_CONNECTOR_NAMES.markRead });
}

/** The connector as a Topology of its own. */
export function buildWhatsAppConnectorTopology(options: WhatsAppConnectorOptions): Topology {
  const builder = new StreamsBuilder();
  addWhatsAppConnector(builder, options);
  return builder.build();
}

/** Sends WhatsApp's read mark for the latest contact message read by the receipt. */
class MarkReadProcessor implements Processor<string, { receipt: ReadReceipt; message: LatestContactMessage; channel: Channel | null }> {
  readonly #options: WhatsAppConnectorOptions;

  constructor(options: WhatsAppConnectorOptions) {
    this.#options = options;
  }

  async process(record: StreamRecord<string, { receipt: ReadReceipt; message: LatestContactMessage; channel: Channel | null }>): Promise<void> {
    const { receipt, message } = record.value;
    const channel = record.value.channel ?? (await this.#options.resolveChannel?.(message.channelId)) ?? null;
    if (channel === null || channel.source !== WHATSAPP_SOURCE || channel.connectionState !== 'CONNECTED' || channel.token === null) return;
    if (receipt.readAt < message.sentAt) return;
    try {
      await this.#options.graph.call({ method: 'POST', path: `/${encodeURIComponent(channel.sourceChannelId)}/messages`, token: channel.token, body: { messaging_product: 'whatsapp', status: 'read', message_id: message.wamid } });
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
    }
  }
}

/** The wamid of an inbound message: its content is the `messages[]` element, whose `id` it is. */
function wamidOf(content: string): string | undefined {
  const id = (parseContentObject(content) as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}
