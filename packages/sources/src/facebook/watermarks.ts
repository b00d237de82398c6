/**
 * Messenger's `delivery` and `read` watermarks → message metadata `source.delivery_state`
 * (`delivered`, `read`) of the outbound messages they cover: everything the page sent in the
 * conversation before the watermark. Airy Core ignored both events.
 *
 * Outbound messages (the connector's DELIVERED records of `facebook` messages not from the
 * contact) and watermark events are both keyed by conversation id and meet in one processor,
 * whose store keeps, per conversation, the sent messages not yet read (id, sentAt, state). A
 * watermark marks the covered ones and forgets those read, so the store holds only what is still
 * unread.
 */
import { MESSAGE_METADATA_KEYS, metadataRecord, metadataSubject, type Message, type Metadata } from '@parley/schemas';
import { keyValueStoreBuilder, Serdes, type Processor, type ProcessorContext, type ProcessorSupplier, type StreamRecord, type TypedKeyValueStore } from '@parley/streams';

/** A `delivery` or `read` event of a conversation. */
export interface Watermark {
  kind: 'watermark';
  state: 'delivered' | 'read';
  /** Everything sent before this (ms) is covered. */
  watermark: number;
}

/** A message the page sent in the conversation. */
export interface SentMessage {
  kind: 'sent';
  id: string;
  sentAt: number;
}

export type WatermarkInput = Watermark | SentMessage;

interface Unread {
  id: string;
  sentAt: number;
  state: 'sent' | 'delivered';
}

/** The outbound message as the watermark processor tracks it. */
export function sentMessageOf(message: Message): SentMessage {
  return { kind: 'sent', id: message.id, sentAt: message.sentAt };
}

/** The processor (and its store) that applies watermarks; outputs the metadata records to write. */
export function watermarkApplier(storeName: string): ProcessorSupplier<string, WatermarkInput, string, Metadata[]> {
  return {
    get: () => new WatermarkProcessor(storeName),
    stores: () => [keyValueStoreBuilder({ name: storeName, keySerde: Serdes.string(), valueSerde: Serdes.json<Unread[]>() })],
  };
}

class WatermarkProcessor implements Processor<string, WatermarkInput, string, Metadata[]> {
  readonly #storeName: string;
  #context!: ProcessorContext<string, Metadata[]>;
  #unread!: TypedKeyValueStore<string, Unread[]>;

  constructor(storeName: string) {
    this.#storeName = storeName;
  }

  init(context: ProcessorContext<string, Metadata[]>): void {
    this.#context = context;
    this.#unread = context.getStateStore<TypedKeyValueStore<string, Unread[]>>(this.#storeName);
  }

  process(record: StreamRecord<string, WatermarkInput>): void {
    const conversation = record.key;
    if (conversation === null || record.value === null) return;
    const unread = this.#unread.get(conversation) ?? [];
    const input = record.value;
    if (input.kind === 'sent') {
      if (!unread.some((u) => u.id === input.id)) this.#unread.put(conversation, [...unread, { id: input.id, sentAt: input.sentAt, state: 'sent' }]);
      return;
    }
    const covered = unread.filter((u) => u.sentAt <= input.watermark && (input.state === 'read' || u.state === 'sent'));
    if (covered.length === 0) return;
    const rest = input.state === 'read' ? unread.filter((u) => u.sentAt > input.watermark) : unread.map((u) => (covered.includes(u) ? { ...u, state: 'delivered' as const } : u));
    if (rest.length === 0) this.#unread.delete(conversation);
    else this.#unread.put(conversation, rest);
    const records = covered.map((u) => metadataRecord({ subject: metadataSubject('message', u.id), key: MESSAGE_METADATA_KEYS.sourceDeliveryState, value: input.state, timestamp: input.watermark }));
    this.#context.forward({ ...record, value: records });
  }
}
