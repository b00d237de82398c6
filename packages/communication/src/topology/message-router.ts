import type { Message } from '@parley/schemas';
import type { Processor, ProcessorContext, StreamRecord, TypedKeyValueStore } from '@parley/streams';
import { COMMUNICATION_STORES } from '../store-names.js';
import type { ConversationEvent } from './conversation-event.js';

/**
 * Reads the messages topic (key: message id) into the `messages` store, the latest version of
 * each message winning (an update such as a delivery state rewrites the record under the same
 * key), and re-keys every change by conversation id for the conversation aggregator. A tombstone
 * deletes the message; the store tells which conversation it belonged to.
 */
export class MessageRouter implements Processor<string, Message | null, string, ConversationEvent> {
  #context!: ProcessorContext<string, ConversationEvent>;
  #messages!: TypedKeyValueStore<string, Message>;

  init(context: ProcessorContext<string, ConversationEvent>): void {
    this.#context = context;
    this.#messages = context.getStateStore(COMMUNICATION_STORES.messages);
  }

  process(record: StreamRecord<string, Message | null>): void {
    const { key, value } = record;
    if (value === null) {
      if (key === null) return;
      const previous = this.#messages.delete(key);
      if (previous === undefined) return;
      this.#context.forward({ ...record, key: previous.conversationId, value: { type: 'message-deleted', messageId: previous.id } });
      return;
    }
    // The record's own id is the truth; the key is the same by convention (a compacted topic keyed by id).
    this.#messages.put(value.id, value);
    this.#context.forward({ ...record, key: value.conversationId, value: { type: 'message', message: value } });
  }
}
