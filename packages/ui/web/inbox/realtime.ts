/**
 * The inbox's live feed: the runtime's `/ws.communication` websocket (docs/webhooks.md). It
 * authenticates with a first frame (a 60-second token from `auth.socket-token`, since the session
 * cookie is HttpOnly — or the scripted session's bearer token), keeps the last cursor, and on a
 * drop reconnects with `?cursor=<last>` so no event is missed.
 */
import { bearerToken, callApi } from '../shared/api.js';

export interface RealtimeEvent {
  type: string;
  payload: Record<string, unknown>;
  timestamp: number;
}

export type ConnectionState = 'connecting' | 'live' | 'offline';

type Listener = (event: RealtimeEvent) => void;

export class RealtimeFeed {
  readonly #listeners = new Set<Listener>();
  readonly #stateListeners = new Set<(state: ConnectionState) => void>();
  #socket: WebSocket | undefined;
  #cursor: number | undefined;
  #retryMs = 500;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  state: ConnectionState = 'connecting';

  start(): void {
    void this.#connect();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#socket?.close(1000);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  #setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.#stateListeners) listener(state);
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    this.#setState('connecting');
    let token: string;
    try {
      token = bearerToken() ?? (await callApi<{ token: string }>('auth.socket-token')).token;
    } catch {
      return this.#retry();
    }
    if (this.#closed) return;
    const query = this.#cursor === undefined ? '' : `?cursor=${this.#cursor}`;
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws.communication${query}`);
    this.#socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'authenticate', token }));
    socket.onmessage = ({ data }) => this.#frame(String(data));
    socket.onclose = () => {
      if (this.#socket === socket) this.#retry();
    };
  }

  #frame(data: string): void {
    const frame = JSON.parse(data) as { type: string; cursor?: number | null; event?: RealtimeEvent };
    if (frame.type === 'ready') {
      // null: no event yet; a reconnect then resumes from the log's beginning (-1), missing none.
      if (typeof frame.cursor === 'number') this.#cursor = frame.cursor;
      else this.#cursor ??= -1;
      this.#retryMs = 500;
      this.#setState('live');
    } else if (frame.type === 'event' && frame.event !== undefined) {
      if (typeof frame.cursor === 'number') this.#cursor = frame.cursor;
      for (const listener of this.#listeners) listener(frame.event);
    }
  }

  #retry(): void {
    if (this.#closed) return;
    this.#setState('offline');
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#connect(), this.#retryMs);
    this.#retryMs = Math.min(this.#retryMs * 2, 15_000);
  }
}
