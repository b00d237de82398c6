/**
 * The realtime websocket `GET /ws.communication` (the `ws` package) for UIs and integrators: the
 * webhook events, live, resumable from a cursor. Protocol (JSON text frames; docs/webhooks.md,
 * "Realtime"):
 *
 * - Query string (all optional): `cursor=<n>` resumes after the event with that cursor (every
 *   event still in the log after it is sent first, then live ones); `conversation_id=<id>` and
 *   `channel_id=<id>` keep only that conversation's or channel's events (repeatable);
 *   `events=<type>,<type>` keeps only those types.
 * - Auth: `Authorization: Bearer <system token or user JWT>` on the handshake, or a first frame
 *   `{"type":"authenticate","token":"…"}` within `authTimeoutMs` (browsers cannot set headers).
 *   Then `{"type":"ready","cursor":<the last event's cursor, or null>}`.
 * - Events: `{"type":"event","cursor":<n>,"event":{"type","payload","timestamp"}}`, in cursor
 *   order, each at most once per socket. Keep the last cursor; reconnect with it to miss nothing.
 * - Refusals: `{"type":"error",code,message}` then close 4401 (no or bad token, RUNTIME_UNAUTHORIZED),
 *   4403 (RUNTIME_FORBIDDEN), 4400 (bad query, RUNTIME_INVALID_REQUEST); 1001 on shutdown.
 * - Heartbeat: a ping every `heartbeatMs`; a socket that missed the previous pong is terminated.
 */
import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Log } from '@parley/streams';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { RequestHeaders } from '../auth/authenticator.js';
import { bearerTokenOf } from '../auth/authenticator.js';
import type { Logger } from '../logger.js';
import { readEvents, type LoggedEvent } from '../webhooks/event-log.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../webhooks/webhook-events.js';

export const COMMUNICATION_SOCKET_CLOSE_CODES = Object.freeze({ badRequest: 4400, unauthorized: 4401, forbidden: 4403, goingAway: 1001 });

const MAX_CLIENT_FRAME_BYTES = 16 * 1024;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Events read from the log per catch-up step. */
const CATCH_UP_BATCH = 1000;

export interface CommunicationSocketHubOptions {
  log: Log;
  /** The runtime's auth (system token or user JWT); throws RUNTIME_UNAUTHORIZED / RUNTIME_FORBIDDEN. */
  authenticate(headers: RequestHeaders): Promise<unknown>;
  heartbeatMs: number;
  authTimeoutMs: number;
  logger: Logger;
}

interface Filters {
  cursor: number | undefined;
  conversations: Set<string>;
  channels: Set<string>;
  types: Set<WebhookEventType>;
}

interface Socket {
  ws: WebSocket;
  filters: Filters;
  /** Set once authenticated. */
  state: 'auth' | 'catching-up' | 'live';
  /** Live events that arrived during the catch-up. */
  pending: LoggedEvent[];
  /** The cursor of the last event sent (or skipped by the filters). */
  last: number;
  alive: boolean;
  timer: NodeJS.Timeout | undefined;
}

export class CommunicationSocketHub {
  readonly #o: CommunicationSocketHubOptions;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES, clientTracking: false });
  readonly #sockets = new Set<Socket>();
  readonly #heartbeat: NodeJS.Timeout;
  #closing = false;

  constructor(options: CommunicationSocketHubOptions) {
    this.#o = options;
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs);
    this.#heartbeat.unref();
  }

  get size(): number {
    return this.#sockets.size;
  }

  handleUpgrade(request: http.IncomingMessage, duplex: Duplex, head: Buffer): void {
    if (this.#closing) return rejectHandshake(duplex, 503, 'RUNTIME_NOT_READY', 'the server is shutting down');
    const token = bearerTokenOf(request.headers);
    this.#wss.handleUpgrade(request, duplex, head, (ws) => this.#accept(ws, request.url ?? '/', token));
  }

  /** Events appended to the log, in order (from the hub's consumer). */
  publish(events: readonly LoggedEvent[]): void {
    for (const socket of this.#sockets) {
      if (socket.state === 'catching-up') socket.pending.push(...events);
      else if (socket.state === 'live') for (const e of events) this.#deliver(socket, e);
    }
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    const closed = [...this.#sockets].map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.ws.readyState === s.ws.CLOSED) return resolve();
          s.ws.once('close', () => resolve());
          s.ws.close(COMMUNICATION_SOCKET_CLOSE_CODES.goingAway, closeReason('RUNTIME_NOT_READY', 'the server is shutting down'));
        }),
    );
    await Promise.race([Promise.all(closed), new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
    for (const s of this.#sockets) s.ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(ws: WebSocket, url: string, headerToken: string | undefined): void {
    const socket: Socket = { ws, filters: emptyFilters(), state: 'auth', pending: [], last: -1, alive: true, timer: undefined };
    this.#sockets.add(socket);
    ws.on('pong', () => void (socket.alive = true));
    ws.on('error', (err) => this.#o.logger.debug('realtime.socket.error', { err }));
    ws.on('close', () => {
      clearTimeout(socket.timer);
      this.#sockets.delete(socket);
    });
    let filters: Filters;
    try {
      filters = parseFilters(url);
    } catch (err) {
      return this.#refuse(socket, COMMUNICATION_SOCKET_CLOSE_CODES.badRequest, 'RUNTIME_INVALID_REQUEST', (err as Error).message);
    }
    socket.filters = filters;
    if (headerToken !== undefined) return void this.#authenticate(socket, headerToken);
    ws.once('message', (data, isBinary) => {
      const token = isBinary ? undefined : authenticateToken(data);
      if (token === undefined) return this.#refuse(socket, COMMUNICATION_SOCKET_CLOSE_CODES.unauthorized, 'RUNTIME_UNAUTHORIZED', 'the first frame must be {"type":"authenticate","token":"<token>"}');
      void this.#authenticate(socket, token);
    });
    socket.timer = setTimeout(() => {
      if (socket.state === 'auth') this.#refuse(socket, COMMUNICATION_SOCKET_CLOSE_CODES.unauthorized, 'RUNTIME_UNAUTHORIZED', `no authenticate frame within ${this.#o.authTimeoutMs} ms`);
    }, this.#o.authTimeoutMs);
  }

  async #authenticate(socket: Socket, token: string): Promise<void> {
    try {
      await this.#o.authenticate({ authorization: `Bearer ${token}` });
    } catch (err) {
      const forbidden = (err as { code?: string }).code === 'RUNTIME_FORBIDDEN';
      return this.#refuse(
        socket,
        forbidden ? COMMUNICATION_SOCKET_CLOSE_CODES.forbidden : COMMUNICATION_SOCKET_CLOSE_CODES.unauthorized,
        forbidden ? 'RUNTIME_FORBIDDEN' : 'RUNTIME_UNAUTHORIZED',
        forbidden ? 'the token is not accepted' : 'a valid system token or user JWT is required',
      );
    }
    clearTimeout(socket.timer);
    if (socket.ws.readyState !== socket.ws.OPEN) return;
    // Live events from now on wait in `pending` while the log is read from the cursor.
    socket.state = 'catching-up';
    try {
      if (socket.filters.cursor !== undefined) {
        socket.last = socket.filters.cursor;
        let from = socket.filters.cursor + 1;
        for (;;) {
          const events = await readEvents(this.#o.log, { fromOffset: from }, CATCH_UP_BATCH);
          for (const e of events) this.#deliver(socket, e);
          if (events.length < CATCH_UP_BATCH) break;
          from = events.at(-1)!.offset + 1;
        }
      }
    } catch (err) {
      this.#o.logger.warn('realtime.catch_up_failed', { err });
      return this.#refuse(socket, 1011, 'RUNTIME_NOT_READY', 'the events could not be read; reconnect with your cursor');
    }
    for (const e of socket.pending) this.#deliver(socket, e);
    socket.pending = [];
    socket.state = 'live';
    this.#send(socket, JSON.stringify({ type: 'ready', cursor: socket.last < 0 ? null : socket.last }));
  }

  #deliver(socket: Socket, { offset, event }: LoggedEvent): void {
    if (offset <= socket.last) return; // already sent (catch-up and live overlap)
    socket.last = offset;
    if (!matches(socket.filters, event.type, event.body)) return;
    this.#send(socket, `{"type":"event","cursor":${offset},"event":${event.body}}`);
  }

  #send(socket: Socket, text: string): void {
    if (socket.ws.readyState !== socket.ws.OPEN) return;
    if (socket.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#o.logger.warn('realtime.socket.stuck', { bufferedBytes: socket.ws.bufferedAmount });
      return socket.ws.terminate();
    }
    socket.ws.send(text);
  }

  #refuse(socket: Socket, close: number, code: string, message: string): void {
    if (socket.ws.readyState !== socket.ws.OPEN) return;
    this.#send(socket, JSON.stringify({ type: 'error', code, message }));
    socket.ws.close(close, closeReason(code, message));
  }

  #beat(): void {
    for (const s of this.#sockets) {
      if (!s.alive) {
        s.ws.terminate();
        continue;
      }
      s.alive = false;
      s.ws.ping();
    }
  }
}

function emptyFilters(): Filters {
  return { cursor: undefined, conversations: new Set(), channels: new Set(), types: new Set() };
}

function parseFilters(url: string): Filters {
  const params = new URL(url, 'http://localhost').searchParams;
  const filters = emptyFilters();
  const cursor = params.get('cursor');
  if (cursor !== null) {
    if (!/^(-1|\d{1,15})$/.test(cursor)) throw new Error('cursor must be the cursor of an event (a whole number), or -1 for the beginning of the log');
    filters.cursor = Number(cursor);
  }
  for (const id of params.getAll('conversation_id')) filters.conversations.add(id);
  for (const id of params.getAll('channel_id')) filters.channels.add(id);
  for (const type of params.getAll('events').flatMap((v) => v.split(','))) {
    if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) throw new Error(`unknown event type ${JSON.stringify(type).slice(0, 60)}`);
    filters.types.add(type as WebhookEventType);
  }
  return filters;
}

/** Whether an event passes the socket's filters (tag and contact events have no conversation or channel). */
function matches(filters: Filters, type: WebhookEventType, body: string): boolean {
  if (filters.types.size > 0 && !filters.types.has(type)) return false;
  if (filters.conversations.size === 0 && filters.channels.size === 0) return true;
  const { payload } = JSON.parse(body) as { payload: Record<string, unknown> };
  const conversation = type === 'conversation.updated' ? payload.id : payload.conversation_id;
  const channel = type === 'channel.updated' ? payload.id : payload.channel_id;
  if (filters.conversations.size > 0 && !filters.conversations.has(String(conversation))) return false;
  if (filters.channels.size > 0 && !filters.channels.has(String(channel))) return false;
  return true;
}

function authenticateToken(data: RawData): string | undefined {
  try {
    const frame = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8')) as { type?: unknown; token?: unknown };
    return frame?.type === 'authenticate' && typeof frame.token === 'string' && frame.token.length > 0 ? frame.token : undefined;
  } catch {
    return undefined;
  }
}

/** A close reason `{code, message}` within the protocol's 123 bytes (the message is cut to fit; a longer one would throw). */
export function closeReason(code: string, message: string): string {
  let text = message;
  for (;;) {
    const json = JSON.stringify({ code, message: text });
    if (Buffer.byteLength(json, 'utf8') <= 123) return json;
    text = `${text.slice(0, Math.max(0, text.length - 8))}…`;
  }
}

function rejectHandshake(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ message, code });
  socket.end(`HTTP/1.1 ${status} Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
