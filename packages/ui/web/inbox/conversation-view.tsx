import { useEffect, useRef, useState } from 'preact/hooks';
import { callApi } from '../shared/api.js';
import { channelName, contactName, type Conversation, type Message, type Page, type User } from './api-types.js';
import { ContactPanel } from './contact-panel.js';
import { Composer } from './composer.js';
import { shortTime } from './conversation-list.js';
import { MessageContent } from './message-content.js';
import type { RealtimeFeed } from './realtime.js';
import { TagEditor } from './tag-editor.js';
import type { Catalog } from './use-catalog.js';

/** Messages read when a conversation opens; older ones beyond this are not shown. */
const MAX_MESSAGES = 2000;

async function loadMessages(conversationId: string): Promise<Message[]> {
  const messages: Message[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Message> = await callApi<Page<Message>>('messages.list', { conversation_id: conversationId, page_size: 500, ...(cursor === null ? {} : { cursor }) });
    messages.push(...page.data);
    cursor = page.pagination_data.next_cursor;
  } while (cursor !== null && messages.length < MAX_MESSAGES);
  return messages;
}

function upsert(messages: Message[], message: Message): Message[] {
  const at = messages.findIndex((m) => m.id === message.id);
  if (at >= 0) return messages.map((m, i) => (i === at ? message : m));
  return [...messages, message].sort((a, b) => (a.sent_at === b.sent_at ? (a.id < b.id ? -1 : 1) : a.sent_at < b.sent_at ? -1 : 1));
}

/** One conversation: its messages (live), the reply composer, tags, state, and the contact panel. */
export function ConversationView({ conversationId, me, feed, catalog }: { conversationId: string; me: User | null; feed: RealtimeFeed | undefined; catalog: Catalog }) {
  const [conversation, setConversation] = useState<Conversation | undefined>();
  const [messages, setMessages] = useState<Message[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const bottom = useRef<HTMLDivElement>(null);

  const refresh = () => callApi<Conversation>('conversations.info', { conversation_id: conversationId }).then(setConversation);
  useEffect(() => {
    setConversation(undefined);
    setMessages(undefined);
    setError(undefined);
    let live = true;
    void Promise.all([refresh(), loadMessages(conversationId).then((m) => live && setMessages(m))]).catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [conversationId]);

  // Events before the feed went live were not pushed: read the conversation again then.
  useEffect(
    () =>
      feed?.onState((state) => {
        if (state === 'live') void Promise.all([refresh(), loadMessages(conversationId).then(setMessages)]).catch(() => undefined);
      }),
    [feed, conversationId],
  );

  useEffect(
    () =>
      feed?.subscribe((event) => {
        const payload = event.payload as { conversation_id?: string; message?: Message; id?: string; metadata?: Conversation['metadata']; last_message?: Message };
        if ((event.type === 'message.created' || event.type === 'message.updated') && payload.conversation_id === conversationId && payload.message !== undefined) {
          setMessages((m) => (m === undefined ? m : upsert(m, payload.message!)));
        } else if (event.type === 'conversation.updated' && payload.id === conversationId && payload.metadata !== undefined) {
          setConversation((c) => (c === undefined ? c : { ...c, metadata: payload.metadata!, last_message: payload.last_message ?? c.last_message }));
        }
      }),
    [feed, conversationId],
  );

  // Opening a conversation reads it.
  const unread = conversation?.metadata.unread_count ?? 0;
  useEffect(() => {
    if (unread > 0) void callApi('conversations.mark-read', { conversation_id: conversationId }).then(refresh, () => undefined);
  }, [conversationId, unread > 0]);

  useEffect(() => bottom.current?.scrollIntoView({ block: 'end' }), [messages?.length]);

  if (error !== undefined)
    return (
      <section class="conversation" aria-label="Conversation">
        <p class="error" role="alert">
          {error}
        </p>
      </section>
    );
  if (conversation === undefined) return <section class="conversation" aria-busy="true" aria-label="Conversation" />;
  const name = contactName(conversation);
  const closed = conversation.metadata.state === 'CLOSED';
  const setState = async (state: string) => {
    await callApi('conversations.set-state', { conversation_id: conversationId, state });
    await refresh();
  };
  return (
    <>
      <section class="conversation" aria-labelledby="conversation-title">
        <header class="conversation-header">
          <div>
            <h2 id="conversation-title">{name}</h2>
            <p class="muted">
              {channelName(conversation.channel)} · {conversation.channel.source} · {closed ? 'Closed' : 'Open'}
            </p>
          </div>
          <div class="conversation-actions">
            {unread > 0 && (
              <button type="button" onClick={() => void callApi('conversations.mark-read', { conversation_id: conversationId }).then(refresh)}>
                Mark as read
              </button>
            )}
            <button type="button" onClick={() => void setState(closed ? 'OPEN' : 'CLOSED')}>
              {closed ? 'Reopen conversation' : 'Close conversation'}
            </button>
          </div>
        </header>
        <TagEditor conversation={conversation} catalog={catalog} onChange={() => void refresh()} />
        <ol class="messages" aria-label={`Messages with ${name}`} aria-live="polite" aria-busy={messages === undefined}>
          {messages?.map((m) => (
            <MessageItem key={m.id} message={m} contact={name} me={me} userNames={catalog.userNames} />
          ))}
        </ol>
        <div ref={bottom} />
        <Composer conversation={conversation} templates={catalog.templates} />
      </section>
      <ContactPanel conversation={conversation} onChange={() => void refresh()} />
    </>
  );
}

const DELIVERY_LABEL = { pending: 'Sending…', delivered: 'Delivered', failed: 'Failed' } as const;

function MessageItem({ message, contact, me, userNames }: { message: Message; contact: string; me: User | null; userNames: ReadonlyMap<string, string> }) {
  const agent = me !== null && message.sender.id === me.id ? 'You' : (userNames.get(message.sender.id) ?? 'Agent');
  const sender = message.from_contact ? contact : message.sender.type === 'user' ? agent : 'App';
  return (
    <li class={`message ${message.from_contact ? 'from-contact' : 'from-agent'}`} data-message-id={message.id}>
      <span class="sender">{sender}</span>
      <MessageContent content={message.content} />
      <span class="message-meta">
        <time dateTime={message.sent_at}>{shortTime(message.sent_at)}</time>
        {!message.from_contact && <span class={`delivery ${message.delivery_state}`}> · {DELIVERY_LABEL[message.delivery_state]}</span>}
        {!message.from_contact && message.delivery_state === 'failed' && (
          <button type="button" class="link" onClick={() => void callApi('messages.resend', { message_id: message.id })}>
            Retry
          </button>
        )}
      </span>
    </li>
  );
}
