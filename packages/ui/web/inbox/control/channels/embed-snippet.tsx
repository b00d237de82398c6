import { CopyButton } from '../shared/copy-button';

/** The one tag that puts the chat widget of `channelId` on a page (the widget reads `data-channel-id`). */
export function embedSnippet(origin: string, channelId: string): string {
  return `<script src="${origin}/widget/widget.js" data-channel-id="${channelId}"></script>`;
}

/** The embed snippet of a chat plugin channel, a copy button, and the demo page to try it at once. */
export function EmbedSnippet({ channelId }: { channelId: string }) {
  const snippet = embedSnippet(location.origin, channelId);
  return (
    <div class="cc-snippet">
      <p>Paste this tag before <code>&lt;/body&gt;</code> on any page of your website:</p>
      <pre>
        <code aria-label="Embed snippet">{snippet}</code>
      </pre>
      <CopyButton text={snippet} label="Copy snippet" />{' '}
      <a href={`/widget/demo.html?channel_id=${encodeURIComponent(channelId)}`} target="_blank" rel="noopener">
        Try it on the demo page
      </a>
    </div>
  );
}
