import { useEffect, useState } from 'preact/hooks';
import { callApi } from '../shared/api.js';
import type { Channel, Tag, Template } from './api-types.js';
import type { RealtimeFeed } from './realtime.js';

/** What the filters, tag editor and composer choose from: channels, tags and templates. */
export interface Catalog {
  channels: Channel[];
  tags: Tag[];
  templates: Template[];
  /** Sources that have at least one channel. */
  sources: string[];
  /** Users' names by id, for the sender of agents' messages. */
  userNames: ReadonlyMap<string, string>;
  reloadTags(): Promise<void>;
}

/** Loads the catalog once and keeps tags current from the live feed (`tag.updated`). */
export function useCatalog(feed: RealtimeFeed | undefined): Catalog {
  const [channels, setChannels] = useState<Channel[]>([]);
  const [tags, setTags] = useState<Tag[]>([]);
  const [templates, setTemplates] = useState<Template[]>([]);
  const [userNames, setUserNames] = useState<ReadonlyMap<string, string>>(new Map());
  const reloadTags = () => callApi<{ data: Tag[] }>('tags.list').then((r) => setTags(r.data));
  useEffect(() => {
    void callApi<{ data: Channel[] }>('channels.list').then((r) => setChannels(r.data), () => undefined);
    void callApi<{ data: Template[] }>('templates.list').then((r) => setTemplates(r.data), () => undefined);
    void reloadTags().catch(() => undefined);
    void callApi<{ data: { id: string; name: string }[] }>('users.names').then((r) => setUserNames(new Map(r.data.map((u) => [u.id, u.name]))), () => undefined);
  }, []);
  useEffect(
    () =>
      feed?.subscribe((event) => {
        if (event.type === 'tag.updated') void reloadTags().catch(() => undefined);
        if (event.type === 'channel.updated') void callApi<{ data: Channel[] }>('channels.list').then((r) => setChannels(r.data), () => undefined);
      }),
    [feed],
  );
  const sources = [...new Set(channels.map((c) => c.source))].sort();
  return { channels, tags, templates, sources, userNames, reloadTags };
}
