/**
 * The chat widget: `<script src="https://parley.example/widget/widget.js" data-channel-id="…">`
 * puts a chat window on any page. The API and the websocket are at the script's own origin.
 * Optional attributes: `data-title`, `data-welcome`, `data-open="true"` (open on load).
 */
import { chatApi } from './chat-api.js';
import { ChatSession } from './chat-session.js';
import { ChatView } from './chat-view.js';
import { sessionStore } from './session-store.js';

declare global {
  interface Window {
    /** Set once the widget is on the page: a second copy of the script does nothing. */
    parleyChat?: { channelId: string };
  }
}

function widgetScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[data-channel-id][src*="widget.js"]');
}

function mount(script: HTMLScriptElement): void {
  const channelId = script.dataset.channelId?.trim() ?? '';
  if (channelId === '' || window.parleyChat !== undefined) return;
  window.parleyChat = { channelId };
  const apiOrigin = new URL(script.src, document.baseURI).origin;
  // The session reports changes only once resume() or the visitor starts it: `view` exists by then.
  const session = new ChatSession({ channelId, apiOrigin, api: chatApi(apiOrigin), store: sessionStore(channelId), onChange: () => view.render() });
  const view = new ChatView(session, {
    title: script.dataset.title ?? 'Chat with us',
    welcome: script.dataset.welcome ?? 'Hi! Ask us anything, we reply here.',
    open: script.dataset.open === 'true',
  });
  document.body.append(view.host);
  view.render();
  void session.resume();
}

const script = widgetScript();
if (script === null) {
  console.error('parley chat: the widget script needs data-channel-id');
} else if (document.body === null) {
  document.addEventListener('DOMContentLoaded', () => mount(script), { once: true });
} else {
  mount(script);
}
