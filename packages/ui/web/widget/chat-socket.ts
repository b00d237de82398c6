/**
 * The widget's live connection: `/ws.chatplugin`, authenticated with a first frame
 * `{"type":"authenticate","token":…}` (browsers cannot set headers on a websocket). A dropped
 * connection is opened again after an exponential, jittered delay (0.5 s doubling to 30 s), at
 * once when the browser comes back online. The server replays nothing: the owner reads what it
 * missed when `onAuthenticated` fires again.
 */
import type { WireMessage } from './wire.js';

/** Close codes after which retrying with the same token is pointless (see the chat plugin's protocol). */
export const REFUSED_CLOSE_CODES = { unauthorized: 4401, forbidden: 4403, notFound: 4404 } as const;

export interface ChatSocketEvents {
  /** The socket is open and authenticated (first time, or after a reconnect). */
  onAuthenticated(): void;
  onMessage(message: WireMessage): void;
  /** The connection dropped; it is being retried. */
  onDown(): void;
  /** The server refused the token (4401/4403) or the channel is gone (4404); no retry until `reconnectNow`. */
  onRefused(closeCode: number): void;
}

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

export class ChatSocket {
  #ws: WebSocket | undefined;
  #attempt = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #stopped = true;
  readonly #online = () => this.reconnectNow();

  constructor(
    private readonly url: string,
    private readonly token: () => string,
    private readonly events: ChatSocketEvents,
  ) {}

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    window.addEventListener('online', this.#online);
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    window.removeEventListener('online', this.#online);
    clearTimeout(this.#retry);
    this.#ws?.close(1000);
    this.#ws = undefined;
  }

  /** Sends a fresh chat token on the open socket, so it outlives the old token's expiry. */
  renew(): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify({ type: 'authenticate', token: this.token() }));
  }

  /** Connects now (a new token, or the network is back), unless already connected. */
  reconnectNow(): void {
    if (this.#stopped) return;
    const state = this.#ws?.readyState;
    if (state === WebSocket.OPEN || state === WebSocket.CONNECTING) return;
    clearTimeout(this.#retry);
    this.#attempt = 0;
    this.#open();
  }

  #open(): void {
    const ws = new WebSocket(this.url);
    this.#ws = ws;
    ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'authenticate', token: this.token() })));
    ws.addEventListener('message', (event) => this.#onFrame(event.data));
    ws.addEventListener('close', (event) => {
      if (this.#ws !== ws || this.#stopped) return;
      this.#ws = undefined;
      if (Object.values(REFUSED_CLOSE_CODES).includes(event.code as 4401)) return this.events.onRefused(event.code);
      this.events.onDown();
      this.#scheduleRetry();
    });
  }

  #onFrame(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: { type?: unknown; message?: WireMessage };
    try {
      frame = JSON.parse(data) as typeof frame;
    } catch {
      return;
    }
    if (frame.type === 'authenticated') {
      this.#attempt = 0;
      this.events.onAuthenticated();
    } else if (frame.type === 'message' && frame.message !== undefined) {
      this.events.onMessage(frame.message);
    }
  }

  #scheduleRetry(): void {
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.#attempt) * (0.8 + Math.random() * 0.4);
    this.#attempt = Math.min(this.#attempt + 1, 16);
    this.#retry = setTimeout(() => this.#open(), delay);
  }
}
