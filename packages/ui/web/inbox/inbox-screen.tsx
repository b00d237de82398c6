import { useEffect, useState } from 'preact/hooks';
import type { ConversationFilters, User } from './api-types.js';
import { ConversationFiltersForm } from './conversation-filters.js';
import { ConversationList } from './conversation-list.js';
import { ConversationView } from './conversation-view.js';
import { RealtimeFeed, type ConnectionState } from './realtime.js';
import { useCatalog } from './use-catalog.js';
import { useUnreadTotal } from './use-unread-total.js';

/** The inbox: filters and the conversation list, the open conversation (`/c/<id>`), its contact. */
export function InboxScreen({ path, me }: { path: string; me: User | null }) {
  const [feed, setFeed] = useState<RealtimeFeed | undefined>();
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [filters, setFilters] = useState<ConversationFilters>({});
  useEffect(() => {
    const started = new RealtimeFeed();
    const off = started.onState(setConnection);
    started.start();
    setFeed(started);
    return () => {
      off();
      started.close();
    };
  }, []);
  const catalog = useCatalog(feed);
  const unreadTotal = useUnreadTotal(feed);
  const selected = /^\/c\/([0-9a-f-]{36})$/.exec(path)?.[1];
  return (
    <main id="main" class="inbox">
      <div class="sidebar">
        <h1 class="visually-hidden">Inbox</h1>
        <p class={`connection ${connection}`} role="status">
          {connection === 'live' ? 'Live' : connection === 'connecting' ? 'Connecting…' : 'Offline — reconnecting'}
        </p>
        <ConversationFiltersForm catalog={catalog} filters={filters} unreadTotal={unreadTotal} onChange={setFilters} />
        <ConversationList filters={filters} selectedId={selected} feed={feed} />
      </div>
      {selected === undefined ? (
        <section class="conversation empty-state" aria-label="Conversation">
          <p>Select a conversation.</p>
        </section>
      ) : (
        <ConversationView key={selected} conversationId={selected} me={me} feed={feed} catalog={catalog} />
      )}
    </main>
  );
}
