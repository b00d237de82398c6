import { useEffect, useRef, useState } from 'preact/hooks';
import { callApi } from '../shared/api.js';
import { channelName, contactName, type Conversation, type ConversationFilters, type Page } from './api-types.js';
import { hasFilters } from './conversation-filters.js';
import { previewText } from './message-content.js';
import type { RealtimeFeed } from './realtime.js';
import { linkHandler } from './router.js';

export const PAGE_SIZE = 50;

interface ListState {
  items: Conversation[];
  nextCursor: string | null;
  total: number;
  loading: boolean;
  error?: string;
  /** Conversations that changed live but are not in the list (filters are set): shown as a banner. */
  newActivity: number;
  /** When the first page was asked for (ISO): a conversation created later is new, not moved up. */
  loadedAt: string;
}

const EMPTY: ListState = { items: [], nextCursor: null, total: 0, loading: true, newActivity: 0, loadedAt: '' };

function byLastMessage(a: Conversation, b: Conversation): number {
  const at = a.last_message.sent_at;
  const bt = b.last_message.sent_at;
  return at === bt ? (a.id < b.id ? 1 : -1) : at < bt ? 1 : -1;
}

/** The conversations matching `filters`, newest first, a page at a time, kept current from the live feed. */
export function ConversationList({ filters, selectedId, feed }: { filters: ConversationFilters; selectedId: string | undefined; feed: RealtimeFeed | undefined }) {
  const [state, setState] = useState<ListState>(EMPTY);
  const generation = useRef(0);
  const load = async (cursor: string | null) => {
    const mine = cursor === null ? ++generation.current : generation.current;
    setState((s) => (cursor === null ? { ...EMPTY, loadedAt: new Date().toISOString() } : { ...s, loading: true }));
    try {
      const page = await callApi<Page<Conversation>>('conversations.list', { filters, page_size: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) });
      if (mine !== generation.current) return;
      setState((s) => ({
        ...s,
        items: cursor === null ? page.data : [...s.items, ...page.data.filter((c) => !s.items.some((i) => i.id === c.id))],
        nextCursor: page.pagination_data.next_cursor,
        total: page.pagination_data.total,
        loading: false,
        error: undefined,
        newActivity: cursor === null ? 0 : s.newActivity,
      }));
    } catch (err) {
      if (mine === generation.current) setState((s) => ({ ...s, loading: false, error: (err as Error).message }));
    }
  };
  useEffect(() => void load(null), [JSON.stringify(filters)]);
  // The feed pushes only what happens once it is live: read the first page again then, so nothing
  // that arrived between the first read and the socket's start is missing.
  useEffect(() => feed?.onState((state) => state === 'live' && void load(null)), [feed, JSON.stringify(filters)]);

  const filtered = hasFilters(filters);
  useEffect(
    () =>
      feed?.subscribe((event) => {
        if (event.type !== 'conversation.updated') return;
        const payload = event.payload as Pick<Conversation, 'id' | 'metadata' | 'last_message'>;
        setState((s) => {
          const known = s.items.find((c) => c.id === payload.id);
          if (known !== undefined) {
            const updated = { ...known, metadata: payload.metadata, last_message: payload.last_message };
            return { ...s, items: s.items.map((c) => (c.id === payload.id ? updated : c)).sort(byLastMessage) };
          }
          if (filtered) return { ...s, newActivity: s.newActivity + 1 };
          void callApi<Conversation>('conversations.info', { conversation_id: payload.id }).then((conversation) => setState((s2) => withArrival(s2, conversation)), () => undefined);
          return s;
        });
      }),
    [feed, filtered],
  );

  return (
    <section class="conversation-list" aria-labelledby="list-title">
      <h2 id="list-title" class="visually-hidden">
        Conversations
      </h2>
      <p class="list-count" role="status" aria-live="polite">
        {state.loading && state.items.length === 0 ? 'Loading conversations…' : `${state.items.length} of ${state.total} conversations`}
      </p>
      {state.newActivity > 0 && (
        <button type="button" class="new-activity" onClick={() => void load(null)}>
          New activity — refresh the list
        </button>
      )}
      {state.error !== undefined && (
        <p class="error" role="alert">
          {state.error}
        </p>
      )}
      <ul class="conversations" aria-label="Conversations">
        {state.items.map((c) => (
          <ConversationItem key={c.id} conversation={c} selected={c.id === selectedId} />
        ))}
      </ul>
      {state.items.length === 0 && !state.loading && state.error === undefined && <p class="empty">No conversations match.</p>}
      {state.nextCursor !== null && (
        <button type="button" class="load-more" disabled={state.loading} onClick={() => void load(state.nextCursor)}>
          {state.loading ? 'Loading…' : 'Load more conversations'}
        </button>
      )}
    </section>
  );
}

/**
 * A conversation the list did not hold, after a live change: listed when it sorts within the
 * loaded pages (one further down stays for "Load more"), and counted when it is new.
 */
function withArrival(s: ListState, conversation: Conversation): ListState {
  if (s.items.some((c) => c.id === conversation.id)) return s;
  const last = s.items.at(-1);
  if (s.nextCursor !== null && last !== undefined && byLastMessage(conversation, last) > 0) return s;
  const isNew = conversation.created_at >= s.loadedAt;
  return { ...s, items: [conversation, ...s.items].sort(byLastMessage), total: s.total + (isNew ? 1 : 0) };
}

function ConversationItem({ conversation, selected }: { conversation: Conversation; selected: boolean }) {
  const unread = conversation.metadata.unread_count ?? 0;
  const name = contactName(conversation);
  const closed = conversation.metadata.state === 'CLOSED';
  return (
    <li class={`conversation-item${selected ? ' selected' : ''}${unread > 0 ? ' unread' : ''}`}>
      <a href={`/ui/c/${conversation.id}`} onClick={linkHandler(`/c/${conversation.id}`)} aria-current={selected ? 'true' : undefined} data-conversation-id={conversation.id}>
        <span class="item-top">
          <span class="contact">{name}</span>
          <time dateTime={conversation.last_message.sent_at}>{shortTime(conversation.last_message.sent_at)}</time>
        </span>
        <span class="item-bottom">
          <span class="preview">{previewText(conversation.last_message.content)}</span>
          {unread > 0 && (
            <span class="badge" aria-label={`${unread} unread`}>
              {unread}
            </span>
          )}
        </span>
        <span class="item-meta">
          {channelName(conversation.channel)}
          {closed ? ' · closed' : ''}
        </span>
      </a>
    </li>
  );
}

export function shortTime(iso: string): string {
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : date.toLocaleDateString([], { month: 'short', day: 'numeric' });
}
