/**
 * The widget's window, in a shadow root so the page's CSS cannot reach it: a launcher button,
 * and a dialog with the messages (a `log` region: screen readers announce new ones), a status
 * line, and the composer (Enter sends, Shift+Enter starts a new line, Escape closes).
 */
import type { ChatSession, ChatStatus } from './chat-session.js';
import { clientIdOf, type ThreadItem } from './chat-thread.js';
import { adoptStyles, el } from './dom.js';
import { WIDGET_CSS } from './widget-styles.js';

export interface ChatViewOptions {
  title: string;
  welcome: string;
  open: boolean;
}

const STATUS_TEXT: Record<ChatStatus, string> = {
  idle: '',
  connecting: '',
  online: '',
  offline: 'Reconnecting…',
  unavailable: 'This chat is not available at the moment.',
};

const CHAT_ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z';

export class ChatView {
  readonly host: HTMLElement;
  readonly #launcher: HTMLButtonElement;
  readonly #badge: HTMLSpanElement;
  readonly #panel: HTMLElement;
  readonly #status: HTMLParagraphElement;
  readonly #scroll: HTMLDivElement;
  readonly #earlier: HTMLButtonElement;
  readonly #list: HTMLOListElement;
  readonly #input: HTMLTextAreaElement;
  readonly #send: HTMLButtonElement;
  readonly #rows = new Map<string, HTMLLIElement>();
  #unread = 0;
  #rendered = false;

  constructor(
    private readonly session: ChatSession,
    private readonly options: ChatViewOptions,
  ) {
    this.host = document.createElement('parley-chat');
    const root = this.host.attachShadow({ mode: 'open' });
    adoptStyles(root, WIDGET_CSS);

    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', CHAT_ICON);
    svg.append(path);
    this.#badge = el('span', { class: 'badge', 'aria-hidden': 'true', hidden: '' });
    this.#launcher = el('button', { class: 'launcher', type: 'button', 'aria-controls': 'panel', 'aria-expanded': 'false', 'aria-label': 'Open chat' }, svg, this.#badge);

    const close = el('button', { class: 'close', type: 'button', 'aria-label': 'Close chat' }, '×');
    this.#status = el('p', { class: 'status', role: 'status' });
    this.#earlier = el('button', { class: 'earlier', type: 'button', hidden: '' }, 'Show earlier messages');
    this.#list = el('ol');
    const log = el('div', { role: 'log', 'aria-live': 'polite', 'aria-label': 'Messages' }, this.#list);
    this.#scroll = el('div', { class: 'scroll' }, el('p', { class: 'welcome' }, options.welcome), this.#earlier, log);
    this.#input = el('textarea', { id: 'input', rows: '1', placeholder: 'Write a message…', autocomplete: 'off' });
    this.#send = el('button', { class: 'send', type: 'submit' }, 'Send');
    const form = el('form', {}, el('label', { for: 'input', class: 'sr-only' }, 'Your message'), this.#input, this.#send);
    this.#panel = el('section', { id: 'panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'title', hidden: '' }, el('header', {}, el('h2', { id: 'title' }, options.title), close), this.#status, this.#scroll, form);
    root.append(this.#panel, this.#launcher);

    this.#launcher.addEventListener('click', () => this.setOpen(this.#panel.hidden));
    close.addEventListener('click', () => this.setOpen(false));
    this.#panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.setOpen(false);
    });
    this.#input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.#input.value.trim();
      if (text === '' || this.session.status === 'unavailable') return;
      this.#input.value = '';
      void this.session.send(text);
    });
    this.#earlier.addEventListener('click', () => void this.session.loadEarlier().catch(() => undefined));
    this.#list.addEventListener('click', (event) => {
      const row = (event.target as Element).closest('.retry')?.closest('li');
      const clientId = clientIdOf(row?.dataset.key ?? '');
      if (clientId !== undefined) void this.session.retry(clientId);
    });
    if (options.open) this.setOpen(true, false);
  }

  setOpen(open: boolean, moveFocus = true): void {
    this.#panel.hidden = !open;
    this.#launcher.setAttribute('aria-expanded', String(open));
    if (open) this.#unread = 0;
    this.#renderLauncher();
    if (!moveFocus) return;
    if (open) this.#input.focus();
    else this.#launcher.focus();
  }

  /** Brings the DOM in line with the session (keyed rows: unchanged messages are not re-announced). */
  render(): void {
    this.#status.textContent = STATUS_TEXT[this.session.status];
    this.#send.disabled = this.session.status === 'unavailable';
    this.#earlier.hidden = this.session.earlierCursor === null;
    const atBottom = this.#scroll.scrollHeight - this.#scroll.scrollTop - this.#scroll.clientHeight < 40;
    const items = this.session.thread.ordered();
    const keep = new Set(items.map((item) => item.key));
    for (const [key, row] of this.#rows) {
      if (!keep.has(key)) {
        row.remove();
        this.#rows.delete(key);
      }
    }
    items.forEach((item, index) => {
      let row = this.#rows.get(item.key);
      if (row === undefined) {
        row = el('li');
        this.#rows.set(item.key, row);
        if (this.#rendered && !item.fromVisitor && this.#panel.hidden) this.#unread += 1;
      }
      fillRow(row, item);
      if (this.#list.children[index] !== row) this.#list.insertBefore(row, this.#list.children[index] ?? null);
    });
    this.#rendered = true;
    this.#renderLauncher();
    if (atBottom) this.#scroll.scrollTop = this.#scroll.scrollHeight;
  }

  #renderLauncher(): void {
    const open = !this.#panel.hidden;
    this.#badge.hidden = open || this.#unread === 0;
    this.#badge.textContent = String(this.#unread);
    const unread = this.#unread === 1 ? ', 1 new message' : this.#unread > 1 ? `, ${this.#unread} new messages` : '';
    this.#launcher.setAttribute('aria-label', open ? 'Close chat' : `Open chat${unread}`);
  }
}

function fillRow(row: HTMLLIElement, item: ThreadItem): void {
  const signature = `${item.state}|${item.text}`;
  if (row.dataset.signature === signature) return;
  row.dataset.signature = signature;
  row.dataset.key = item.key;
  row.className = `msg ${item.fromVisitor ? 'visitor' : 'agent'}${item.state === 'failed' ? ' failed' : ''}`;
  const children: (Node | string)[] = [el('span', { class: 'sr-only' }, item.fromVisitor ? 'You: ' : 'Reply: '), el('span', { class: 'text' }, item.text)];
  if (item.state === 'sending') children.push(el('span', { class: 'meta' }, 'Sending…'));
  if (item.state === 'failed') {
    const meta = el('span', { class: 'meta' }, 'Not sent.');
    if (item.key.startsWith('local:')) meta.append(el('button', { class: 'retry', type: 'button' }, 'Retry'));
    children.push(meta);
  }
  row.replaceChildren(...children);
}
