import { metadataSubject, parseMetadataSubject, type Message } from '@parley/schemas';
import { CommunicationError } from '../errors.js';
import { COMMUNICATION_STORES } from '../store-names.js';
import { conversationKeyRange, keyAfter, messageOrderKey } from '../topology/message-order-key.js';
import type { CommunicationReadModel } from './communication-read-model.js';
import { decodeCursor, encodeCursor, type CursorTarget, type Position } from './cursor.js';
import { pageSizeOf, type CommunicationPage } from './page.js';
import { renderMessage, type MessageJson } from './render.js';

export interface MessageListQuery {
  conversationId: string;
  /** A `next_cursor` or `previous_cursor` of an earlier page; omitted for the first page. */
  cursor?: string;
  /** Messages per page; default 20. */
  pageSize?: number;
}

function messageMetadata(readModel: CommunicationReadModel, messageId: string) {
  return parseMetadataSubject(`message:${messageId}`) === undefined ? {} : readModel.metadata(metadataSubject('message', messageId));
}

/**
 * messages.list: the conversation's messages **oldest first**, by (sentAt, id), as Airy's docs
 * describe (its code returned newest first). Two messages with the same sentAt are both listed,
 * ordered by id. Keyset cursors; `total` is the conversation's message count.
 * RUNTIME_NOT_FOUND unless the conversation is listed.
 */
export async function listMessages(readModel: CommunicationReadModel, query: MessageListQuery): Promise<CommunicationPage<MessageJson>> {
  const pageSize = pageSizeOf(query.pageSize);
  const store = readModel.store<string, Message>(COMMUNICATION_STORES.conversationMessages);
  const { conversationId } = query;
  const conversation = readModel.conversation(conversationId);
  if (conversation === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `conversation ${conversationId} not found`);
  const target: CursorTarget = query.cursor === undefined ? 'start' : decodeCursor('msg', query.cursor);
  const range = conversationKeyRange(conversationId);
  const cursorKey = target === 'start' ? undefined : messageOrderKey(conversationId, target.t, target.id);

  const messages: Message[] = [];
  let next: Position | null = null;
  for await (const { value } of store.range({ from: cursorKey === undefined ? range.from : keyAfter(cursorKey), to: range.to })) {
    if (messages.length === pageSize) {
      const last = messages[messages.length - 1]!;
      next = { t: last.sentAt, id: last.id };
      break;
    }
    messages.push(value);
  }

  let previous: CursorTarget | null = null;
  if (cursorKey !== undefined) {
    let before = 0;
    for await (const { value } of store.range({ from: range.from, to: cursorKey, reverse: true })) {
      before += 1;
      if (before > pageSize) {
        previous = { t: value.sentAt, id: value.id };
        break;
      }
    }
    if (previous === null && before > 0) previous = 'start';
  }
  return {
    data: messages.map((message) => renderMessage(message, messageMetadata(readModel, message.id))),
    pagination_data: {
      previous_cursor: previous === null ? null : encodeCursor('msg', previous),
      next_cursor: next === null ? null : encodeCursor('msg', next),
      total: conversation.messageCount,
    },
  };
}

/** One message by id (the latest version), with its metadata; RUNTIME_NOT_FOUND when unknown. */
export function messageInfo(readModel: CommunicationReadModel, messageId: string): MessageJson {
  const message = readModel.store<string, Message>(COMMUNICATION_STORES.messages).get(messageId);
  if (message === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `message ${messageId} not found`);
  return renderMessage(message, messageMetadata(readModel, messageId));
}
