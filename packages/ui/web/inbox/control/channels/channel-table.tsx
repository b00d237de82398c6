import { useState } from 'preact/hooks';
import { callApi } from '../../../shared/api';
import { channelName, type ChannelJson } from '../shared/api-types';
import { DataTable } from '../shared/data-table';
import { ErrorNotice } from '../shared/error-notice';
import type { OpenApiDocument } from '../shared/openapi';
import { useAction } from '../shared/use-api';
import { disconnectCall } from './disconnect-route';
import { EmbedSnippet } from './embed-snippet';

/** The channels grouped by source, with their state, and a disconnect (asked twice) where a route allows it. */
export function ChannelTable({ channels, doc, customSources, onChanged }: { channels: ChannelJson[]; doc: OpenApiDocument; customSources: ReadonlySet<string>; onChanged: (channelId: string, connected: boolean) => void }) {
  if (channels.length === 0) return <p class="cc-empty">No channels yet: connect the website chat below to start.</p>;
  const bySource = new Map<string, ChannelJson[]>();
  for (const channel of channels) bySource.set(channel.source, [...(bySource.get(channel.source) ?? []), channel]);
  return (
    <>
      {[...bySource.keys()].sort().map((source) => (
        <section key={source} aria-label={`${source} channels`} class="cc-group">
          <h3>
            {source}
            {customSources.has(source) ? <span class="cc-tag">custom source</span> : null}
          </h3>
          <DataTable columns={['Name', 'Source channel id', 'State', 'Actions']}>
            {bySource.get(source)!.map((channel) => (
              <ChannelRow key={channel.id} channel={channel} doc={doc} customSources={customSources} onChanged={onChanged} />
            ))}
          </DataTable>
        </section>
      ))}
    </>
  );
}

function ChannelRow({ channel, doc, customSources, onChanged }: { channel: ChannelJson; doc: OpenApiDocument; customSources: ReadonlySet<string>; onChanged: (channelId: string, connected: boolean) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [showSnippet, setShowSnippet] = useState(false);
  const call = disconnectCall(doc, channel, customSources);
  const disconnect = useAction(async () => {
    await callApi(call!.route, call!.body);
    setConfirming(false);
    onChanged(channel.id, false);
  });
  const name = channelName(channel);
  const isChat = channel.source === 'chatplugin' && channel.connected;
  return (
    <>
      <tr>
        <td>{name}</td>
        <td>
          <code>{channel.source_channel_id}</code>
        </td>
        <td>
          <span class={channel.connected ? 'cc-state cc-state-ok' : 'cc-state cc-state-off'}>{channel.connected ? 'Connected' : 'Disconnected'}</span>
        </td>
        <td>
          <div class="cc-actions">
            {isChat ? (
              <button type="button" aria-expanded={showSnippet} onClick={() => setShowSnippet(!showSnippet)}>
                Embed code
              </button>
            ) : null}
            {call === undefined || !channel.connected ? null : confirming ? (
              <>
                <button type="button" class="cc-danger" disabled={disconnect.busy} onClick={() => void disconnect.run()}>
                  Confirm disconnect of {name}
                </button>
                <button type="button" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" onClick={() => setConfirming(true)}>
                Disconnect
              </button>
            )}
            <ErrorNotice error={disconnect.error} />
          </div>
        </td>
      </tr>
      {showSnippet ? (
        <tr>
          <td colSpan={4}>
            <EmbedSnippet channelId={channel.id} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
