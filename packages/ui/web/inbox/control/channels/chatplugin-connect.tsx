import { useState } from 'preact/hooks';
import type { ChannelJson } from '../shared/api-types';
import { routeDoc, type OpenApiDocument } from '../shared/openapi';
import { RouteForm } from '../providers/route-form';
import { EmbedSnippet } from './embed-snippet';

/**
 * Connects a website chat (`channels.chatplugin.connect`) and shows the new channel's embed
 * snippet: no provider account needed, so this is the quickest way to a first conversation.
 */
export function ChatPluginConnect({ doc, onConnected }: { doc: OpenApiDocument; onConnected: (channelId: string) => void }) {
  const [created, setCreated] = useState<ChannelJson | undefined>(undefined);
  const route = routeDoc(doc, 'channels.chatplugin.connect');
  return (
    <section aria-labelledby="cc-chatplugin-title" class="cc-card">
      <h2 id="cc-chatplugin-title">Website chat</h2>
      {route === undefined ? (
        <p class="cc-note">This runtime does not serve the chat plugin.</p>
      ) : (
        <>
          <p class="cc-note">A chat window for your website, answered from the inbox. Give it the name visitors see.</p>
          <RouteForm<ChannelJson>
            route={route}
            submitLabel="Connect website chat"
            onDone={(channel) => {
              setCreated(channel);
              onConnected(channel.id);
            }}
          />
        </>
      )}
      {created === undefined ? null : (
        <div class="cc-success">
          <p role="status">
            Connected <strong>{typeof created.metadata?.name === 'string' ? created.metadata.name : created.source_channel_id}</strong>.
          </p>
          <EmbedSnippet channelId={created.id} />
        </div>
      )}
    </section>
  );
}
