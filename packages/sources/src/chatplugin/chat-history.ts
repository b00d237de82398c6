/**
 * A visitor's view of their conversation: the latest messages, oldest first, and a cursor to the
 * ones before. Read from the communication read model's `conversation-messages` store, whose keys
 * order messages by (sentAt, id): two messages with the same sentAt are both listed (Airy's chat
 * plugin kept a set ordered by sentAt alone and lost one of them). A widget opens at the newest
 * messages, so pages go backwards from the end, unlike `messages.list` which starts at the first.
 */
import { metadataSubject, type Message } from '@parley/schemas';
import {
  COMMUNICATION_STORES,
  conversationKeyRange,
  decodeCursor,
  encodeCursor,
  messageOrderKey,
  renderMessage,
  type CommunicationReadModel,
  type MessageJson,
} from '@parley/communication';

/** A page of history: `messages` oldest first; `previous_cursor` pages to earlier ones (null: none). */
export interface ChatHistoryPage {
  messages: MessageJson[];
  previous_cursor: string | null;
}

/**
 * The `pageSize` messages of `conversationId` just before `cursor` (from the end without one),
 * oldest first. A conversation without messages has an empty history. RUNTIME_NOT_READY while
 * the read model loads, RUNTIME_INVALID_CURSOR for a foreign cursor.
 */
export async function chatHistory(readModel: CommunicationReadModel, options: { conversationId: string; pageSize: number; cursor?: string | undefined }): Promise<ChatHistoryPage> {
  const { conversationId, pageSize } = options;
  const store = readModel.store<string, Message>(COMMUNICATION_STORES.conversationMessages);
  const range = conversationKeyRange(conversationId);
  // The API's one cursor codec, kind `hist`: a cursor of another list is RUNTIME_INVALID_CURSOR.
  const target = options.cursor === undefined ? 'start' : decodeCursor('hist', options.cursor);
  const before = target === 'start' ? undefined : target;
  const end = before === undefined ? range.to : messageOrderKey(conversationId, before.t, before.id);
  const newestFirst: Message[] = [];
  for await (const { key, value } of store.range({ from: range.from, to: end, reverse: true })) {
    if (key === end) continue; // the cursor's own message was on the later page
    newestFirst.push(value);
    if (newestFirst.length > pageSize) break;
  }
  const page = newestFirst.slice(0, pageSize).reverse();
  const oldest = page[0];
  return {
    messages: page.map((m) => renderMessage(m, readModel.metadata(metadataSubject('message', m.id)))),
    previous_cursor: newestFirst.length > pageSize && oldest !== undefined ? encodeCursor('hist', { t: oldest.sentAt, id: oldest.id }) : null,
  };
}
