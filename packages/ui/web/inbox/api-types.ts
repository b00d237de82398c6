/** The Core API's answers as the inbox reads them (snake_case, as `docs/api.md` documents them). */

export interface Page<T> {
  data: T[];
  pagination_data: { previous_cursor: string | null; next_cursor: string | null; total: number };
}

export interface Channel {
  id: string;
  source: string;
  source_channel_id: string;
  connected: boolean;
  metadata: Record<string, unknown>;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

export interface Message {
  id: string;
  content: unknown;
  delivery_state: DeliveryState;
  from_contact: boolean;
  sender: { id: string; type: 'contact' | 'user' | 'app' };
  sent_at: string;
  updated_at: string | null;
  source: string;
  metadata: Record<string, unknown>;
}

export interface ConversationMetadata extends Record<string, unknown> {
  contact?: { display_name?: string; avatar_url?: string } & Record<string, unknown>;
  unread_count?: number;
  state?: string;
  tags?: Record<string, unknown>;
}

export interface Conversation {
  id: string;
  created_at: string;
  source_conversation_id: string | null;
  channel: Channel;
  metadata: ConversationMetadata;
  last_message: Message;
}

export interface Tag {
  id: string;
  name: string;
  color: 'tag-red' | 'tag-green' | 'tag-blue' | 'tag-purple';
}

export interface Template {
  id: string;
  name: string;
  source: string;
  content: unknown;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
}

export interface SessionInfo {
  principal: { kind: string; id: string };
  user: User | null;
  expires_at: number | null;
}

/** The filters of `conversations.list`. */
export interface ConversationFilters {
  channel_ids?: string[];
  sources?: string[];
  tag_ids?: string[];
  state?: string;
  unread?: boolean;
  display_name?: string;
}

export function contactName(conversation: Conversation): string {
  return conversation.metadata.contact?.display_name ?? conversation.source_conversation_id ?? 'Unknown contact';
}

export function channelName(channel: Channel): string {
  const name = channel.metadata.name;
  return typeof name === 'string' && name !== '' ? name : `${channel.source} ${channel.source_channel_id}`;
}
