import type { ChannelJson, ListOf, SourceJson } from '../shared/api-types';
import { ErrorNotice } from '../shared/error-notice';
import { useOpenApi } from '../shared/openapi';
import { reloadUntil, useApi } from '../shared/use-api';
import { ChannelTable } from './channel-table';
import { ChatPluginConnect } from './chatplugin-connect';
import { ProviderConnect } from './provider-connect';

/** Sources and channels: every channel with its state, the website chat, and the configured providers' connect forms. */
export function ChannelsScreen() {
  const channels = useApi<ListOf<ChannelJson>>('channels.list');
  const sources = useApi<ListOf<SourceJson>>('sources.list');
  const { doc, failure } = useOpenApi();
  const customSources = new Set((sources.data?.data ?? []).map((s) => s.id));
  const reload = () => void channels.reload();
  /** Reloads until the list shows `channelId` in the state a call just wrote. */
  const expect = (channelId: string | undefined, connected: boolean) =>
    void reloadUntil(channels.reload, (answer) => channelId === undefined || answer.data.some((c) => c.id === channelId && c.connected === connected));
  return (
    <>
      <h1>Channels</h1>
      <section aria-labelledby="cc-channels-title" class="cc-card">
        <div class="cc-heading-row">
          <h2 id="cc-channels-title">All channels</h2>
          <button type="button" onClick={reload} disabled={channels.loading}>
            Refresh
          </button>
        </div>
        <ErrorNotice error={channels.error} />
        {failure === undefined ? null : <p class="cc-error" role="alert">{failure}</p>}
        {channels.data === undefined || doc === undefined ? <p aria-busy="true">Loading…</p> : <ChannelTable channels={channels.data.data} doc={doc} customSources={customSources} onChanged={expect} />}
      </section>
      {doc === undefined ? null : (
        <>
          <ChatPluginConnect doc={doc} onConnected={(id) => expect(id, true)} />
          <ProviderConnect doc={doc} onConnected={(id) => expect(id, true)} />
        </>
      )}
    </>
  );
}
