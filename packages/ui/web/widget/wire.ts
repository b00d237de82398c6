/**
 * What the chat plugin's visitor routes and websocket carry (see the sources README, "Chat
 * plugin"), and how the widget shows a message's content. No DOM here: the thread logic that uses
 * it is tested in Node.
 */

/** A message as the chat plugin answers and pushes it (a `messages.list` item). */
export interface WireMessage {
  id: string;
  content: unknown;
  delivery_state: 'pending' | 'delivered' | 'failed';
  from_contact: boolean;
  sent_at: string;
}

export interface HistoryPage {
  messages: WireMessage[];
  previous_cursor: string | null;
}

export interface ChatSessionAnswer extends HistoryPage {
  token: string;
  expires_at: string;
  conversation_id: string;
  channel_id: string;
  resumed: boolean;
}

/** The text a visitor sees for a message's content: its `text`, else a short placeholder. */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content !== null && typeof content === 'object') {
    const { text } = content as { text?: unknown };
    if (typeof text === 'string') return text;
  }
  return '(a message this chat cannot show)';
}
