/**
 * The chat widget: `<script src="https://parley.example/widget/widget.js" data-channel-id="…">`
 * puts a chat window on any page.
 */
const script = document.currentScript as HTMLScriptElement | null;
const root = document.createElement('div');
root.id = 'parley-chat';
root.dataset.channelId = script?.dataset.channelId ?? '';
document.body.appendChild(root);
