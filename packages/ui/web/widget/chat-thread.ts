/**
 * The messages the widget shows, in order: the conversation's messages as the server has them
 * (by id, ordered by `sent_at`), then the visitor's sends still on their way (by their client id).
 * A pushed message can arrive before the answer of the send that wrote it; the send's bubble is
 * then dropped in favour of the pushed message, so nothing shows twice.
 */
import { messageText, type WireMessage } from './wire.js';

export type ItemState = 'sending' | 'failed' | 'pending' | 'delivered';

export interface ThreadItem {
  /** The message id, or `local:<client id>` while the send is on its way. */
  key: string;
  text: string;
  fromVisitor: boolean;
  sentAt: number;
  state: ItemState;
}

export class ChatThread {
  readonly #items = new Map<string, ThreadItem>();

  /** Adds or updates a message from the server; returns true when it is new. */
  upsert(message: WireMessage): boolean {
    const isNew = !this.#items.has(message.id);
    const item: ThreadItem = {
      key: message.id,
      text: messageText(message.content),
      fromVisitor: message.from_contact,
      sentAt: Date.parse(message.sent_at),
      state: message.delivery_state === 'failed' ? 'failed' : message.delivery_state,
    };
    if (isNew && item.fromVisitor) this.#dropLocal((local) => local.text === item.text);
    this.#items.set(item.key, item);
    return isNew;
  }

  /** A send on its way: shown at the end until `confirm` or `fail`. */
  addLocal(clientId: string, text: string): void {
    this.#items.set(localKey(clientId), { key: localKey(clientId), text, fromVisitor: true, sentAt: Date.now(), state: 'sending' });
  }

  /** The send's answer: its bubble becomes the stored message. */
  confirm(clientId: string, message: WireMessage): void {
    this.#items.delete(localKey(clientId));
    this.upsert(message);
  }

  fail(clientId: string): void {
    const item = this.#items.get(localKey(clientId));
    if (item !== undefined) item.state = 'failed';
  }

  retrying(clientId: string): ThreadItem | undefined {
    const item = this.#items.get(localKey(clientId));
    if (item !== undefined) item.state = 'sending';
    return item;
  }

  clear(): void {
    this.#items.clear();
  }

  /** Server messages by (sent_at, id), then local sends in the order they were made. */
  ordered(): ThreadItem[] {
    const isLocal = (item: ThreadItem) => item.key.startsWith('local:');
    return [...this.#items.values()].sort((a, b) => Number(isLocal(a)) - Number(isLocal(b)) || a.sentAt - b.sentAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  #dropLocal(match: (item: ThreadItem) => boolean): void {
    for (const item of this.#items.values()) {
      if (item.key.startsWith('local:') && match(item)) {
        this.#items.delete(item.key);
        return;
      }
    }
  }
}

/** The key of a local send; also how the view finds the client id to retry. */
export function localKey(clientId: string): string {
  return `local:${clientId}`;
}

export function clientIdOf(key: string): string | undefined {
  return key.startsWith('local:') ? key.slice('local:'.length) : undefined;
}
