/**
 * The demo page's one script: loads the widget for the channel named in the page's query
 * (`demo.html?channel_id=…`), opened, from this same server. No inline script, so the page's CSP
 * can be `script-src 'self'`.
 */
const channelId = new URLSearchParams(location.search).get('channel_id')?.trim() ?? '';
const note = document.getElementById('channel');
if (channelId === '') {
  if (note !== null) note.textContent = 'No channel: open this page as demo.html?channel_id=<your chat plugin channel id> (the control center links it).';
} else {
  if (note !== null) note.textContent = `Channel ${channelId}`;
  const script = document.createElement('script');
  script.src = new URL('widget.js', document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : location.href).href;
  const snippet = document.getElementById('snippet');
  if (snippet !== null) snippet.textContent = `<script src="${script.src}" data-channel-id="${channelId}"></script>`;
  script.dataset.channelId = channelId;
  script.dataset.open = 'true';
  script.dataset.title = 'Parley demo chat';
  document.body.append(script);
}
