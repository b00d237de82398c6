/**
 * Telegram updates (https://core.telegram.org/bots/api#update) as the router reads them back:
 * `{ update_id, message | edited_message: { message_id, from, chat: { id, type }, date, edit_date?,
 * text? | photo?: PhotoSize[] | document?, caption? } }`. Private chats only. The message is
 * stored as received (JSON) as the content; `edited_message` rewrites the same record with the
 * new content and `updatedAt` = `edit_date`.
 */
import { z } from 'zod';
import { parseJsonPayload } from '../parse-json-payload.js';
import { SourcesError } from '../errors.js';

const telegramMessage = z.object({
  message_id: z.int().nonnegative(),
  from: z.object({ id: z.int(), is_bot: z.boolean(), first_name: z.string(), last_name: z.string().optional() }),
  chat: z.object({ id: z.int(), type: z.string() }),
  date: z.int().nonnegative(),
  edit_date: z.int().nonnegative().optional(),
});

const telegramUpdate = z.object({ update_id: z.int().nonnegative() }).catchall(z.unknown());

export interface TelegramMessageEvent {
  updateId: number;
  edited: boolean;
  chatId: string;
  senderId: string;
  senderName: string;
  messageId: number;
  sentAt: number;
  editedAt: number | null;
  /** The Telegram Message object as received (JSON text). */
  content: string;
}

/**
 * The message an update carries.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD: not JSON, no message, not a private chat.
 */
export function parseTelegramUpdate(raw: Buffer): TelegramMessageEvent {
  const update = parseJsonPayload(telegramUpdate, raw, 'update');
  const edited = update.edited_message !== undefined;
  const body = update.message ?? update.edited_message;
  if (body === undefined) {
    const kinds = Object.keys(update).filter((k) => k !== 'update_id');
    throw new SourcesError('SOURCES_INVALID_PAYLOAD', `update ${update.update_id} carries no message (${kinds.join(', ') || 'nothing'}): not handled`);
  }
  const parsed = telegramMessage.safeParse(body);
  if (!parsed.success) throw new SourcesError('SOURCES_INVALID_PAYLOAD', `update ${update.update_id}: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`);
  const m = parsed.data;
  if (m.chat.type !== 'private') throw new SourcesError('SOURCES_INVALID_PAYLOAD', `update ${update.update_id}: ${m.chat.type} chats are not handled, only private ones`);
  return {
    updateId: update.update_id,
    edited,
    chatId: String(m.chat.id),
    senderId: String(m.from.id),
    senderName: [m.from.first_name, m.from.last_name].filter(Boolean).join(' '),
    messageId: m.message_id,
    sentAt: m.date * 1000,
    editedAt: m.edit_date === undefined ? null : m.edit_date * 1000,
    content: JSON.stringify(body),
  };
}
