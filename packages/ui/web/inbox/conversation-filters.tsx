import { useEffect, useState } from 'preact/hooks';
import { channelName, type ConversationFilters } from './api-types.js';
import type { Catalog } from './use-catalog.js';

/** The filters of `conversations.list` as a form: search, channel, source, tag, state, unread. */
export function ConversationFiltersForm({ catalog, filters, unreadTotal, onChange }: { catalog: Catalog; filters: ConversationFilters; unreadTotal: number | undefined; onChange: (filters: ConversationFilters) => void }) {
  const [text, setText] = useState(filters.display_name ?? '');
  // Typing searches after a pause, not on every key.
  useEffect(() => {
    if ((filters.display_name ?? '') === text) return undefined;
    const timer = setTimeout(() => onChange(withValue(filters, 'display_name', text === '' ? undefined : text)), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const select = (key: 'channel_ids' | 'sources' | 'tag_ids') => (event: Event) => {
    const value = (event.currentTarget as HTMLSelectElement).value;
    onChange(withValue(filters, key, value === '' ? undefined : [value]));
  };
  return (
    <form class="filters" role="search" aria-label="Filter conversations" onSubmit={(e) => e.preventDefault()}>
      <label for="filter-search">Search contacts</label>
      <input id="filter-search" type="search" value={text} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} placeholder="Name contains…" />
      <div class="filter-row">
        <span>
          <label for="filter-channel">Channel</label>
          <select id="filter-channel" value={filters.channel_ids?.[0] ?? ''} onChange={select('channel_ids')}>
            <option value="">All channels</option>
            {catalog.channels.map((c) => (
              <option key={c.id} value={c.id}>
                {channelName(c)}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label for="filter-source">Source</label>
          <select id="filter-source" value={filters.sources?.[0] ?? ''} onChange={select('sources')}>
            <option value="">All sources</option>
            {catalog.sources.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </span>
      </div>
      <div class="filter-row">
        <span>
          <label for="filter-tag">Tag</label>
          <select id="filter-tag" value={filters.tag_ids?.[0] ?? ''} onChange={select('tag_ids')}>
            <option value="">Any tag</option>
            {catalog.tags.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label for="filter-state">State</label>
          <select id="filter-state" value={filters.state ?? ''} onChange={(e) => onChange(withValue(filters, 'state', (e.currentTarget as HTMLSelectElement).value || undefined))}>
            <option value="">Any state</option>
            <option value="OPEN">Open</option>
            <option value="CLOSED">Closed</option>
          </select>
        </span>
      </div>
      <label class="checkbox">
        <input type="checkbox" checked={filters.unread === true} onChange={(e) => onChange(withValue(filters, 'unread', (e.currentTarget as HTMLInputElement).checked ? true : undefined))} />
        Unread only{unreadTotal === undefined ? '' : ` (${unreadTotal})`}
      </label>
    </form>
  );
}

function withValue<K extends keyof ConversationFilters>(filters: ConversationFilters, key: K, value: ConversationFilters[K] | undefined): ConversationFilters {
  const next = { ...filters };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

export function hasFilters(filters: ConversationFilters): boolean {
  return Object.keys(filters).length > 0;
}
