import { useEffect, useState } from 'preact/hooks';
import { callApi } from '../shared/api.js';
import type { Conversation, Page } from './api-types.js';
import type { RealtimeFeed } from './realtime.js';

/** How many conversations have unread messages (`conversations.list` with `unread: true`), kept current from the live feed. */
export function useUnreadTotal(feed: RealtimeFeed | undefined): number | undefined {
  const [total, setTotal] = useState<number | undefined>();
  useEffect(() => {
    const load = () => void callApi<Page<Conversation>>('conversations.list', { filters: { unread: true }, page_size: 1 }).then((p) => setTotal(p.pagination_data.total), () => undefined);
    load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A burst of events asks once.
    const off = feed?.subscribe((event) => {
      if (event.type !== 'conversation.updated') return;
      clearTimeout(timer);
      timer = setTimeout(load, 300);
    });
    return () => {
      clearTimeout(timer);
      off?.();
    };
  }, [feed]);
  return total;
}
