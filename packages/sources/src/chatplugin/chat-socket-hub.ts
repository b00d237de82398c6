/**
 * The chat plugin's websocket endpoint (`GET /ws.chatplugin`, the `ws` package): authenticates
 * each socket with a chat token, keeps sockets by conversation, and pushes what the fan-out
 * consumer hands it. Protocol (JSON text frames; see the sources README, "Chat plugin"):
 *
 * - Auth: `Authorization: Bearer <chat token>` on the handshake (Node clients), or, for browsers
 *   (which cannot set headers on a websocket), a first frame `{"type":"authenticate","token":"…"}`
 *   within `authTimeoutMs`. Then the server sends `{"type":"authenticated", conversation_id,
 *   channel_id, expires_at}`: from that frame on, every message of the conversation is pushed.
 *   The same frame with a fresh chat token of the same conversation extends the socket's life;
 *   at the token's expiry (+5 s) the socket is closed.
 * - Push: `{"type":"message", conversation_id, channel_id, message}` for every new or updated
 *   message of the conversation (message = a `messages.list` item).
 * - Refusals: an `{"type":"error", code, message}` frame, then a close with 4401 (no or bad
 *   authenticate frame, or none in time: RUNTIME_UNAUTHORIZED), 4403 (invalid or expired token,
 *   RUNTIME_FORBIDDEN), 4404 (channel unknown or disconnected, RUNTIME_NOT_FOUND), and a JSON
 *   reason `{code, message}`. A handshake from a page whose Origin is not allowed gets HTTP 403.
 * - Heartbeat: a ping every `heartbeatMs`; a socket that did not answer the previous one is
 *   terminated. `close()` (runtime stop) closes every socket with 1001.
 */
import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { bearerToken } from '../bearer-token.js';
import { isSourcesError } from '../errors.js';
import type { HostLogger } from '../host/host-logger.js';
import type { ChatTokenClaims } from './chat-token.js';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** Close codes of the chat plugin websocket (4xxx mirror the HTTP statuses of the same refusals). */
export const CHAT_SOCKET_CLOSE_CODES = Object.freeze({
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
  goingAway: 1001,
  internal: 1011,
});

/** Largest frame a client may send, in bytes (an authenticate frame is well under 4 KiB). */
const MAX_CLIENT_FRAME_BYTES = 16 * 1024;
/** A socket with more unsent bytes than this is stuck: it is terminated rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** How long close() waits for clients to answer the close frame before cutting their sockets, in ms. */
const CLOSE_GRACE_MS = 1000;
/** Clock tolerance of token expiry, in ms (as the token verification's). */
const EXPIRY_TOLERANCE_MS = 5000;

export interface ChatSocketHubOptions {
  /** The claims of a valid chat token whose channel is connected; throws SourcesError otherwise. */
  verify(token: string): Promise<ChatTokenClaims>;
  /** `*` or the exact origins whose pages may connect. */
  origins: readonly string[];
  /** Ping interval, in ms. */
  heartbeatMs: number;
  /** Time to send the authenticate frame, in ms. */
  authTimeoutMs: number;
  logger: HostLogger;
}

interface ChatSocket {
  readonly ws: WebSocket;
  claims: ChatTokenClaims | undefined;
  alive: boolean;
  /** Set while waiting for the authenticate frame, then while waiting for the token's expiry. */
  timer: NodeJS.Timeout | undefined;
  /** A verification in flight (frames that arrive meanwhile wait for it). */
  verifying: boolean;
}

type Refusal = { close: number; code: string; message: string };

export class ChatSocketHub {
  readonly #options: ChatSocketHubOptions;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES, clientTracking: false });
  readonly #sockets = new Set<ChatSocket>();
  readonly #byConversation = new Map<string, Set<ChatSocket>>();
  readonly #heartbeat: NodeJS.Timeout;
  #closing = false;

  constructor(options: ChatSocketHubOptions) {
    this.#options = options;
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Open sockets (authenticated or not). */
  get size(): number {
    return this.#sockets.size;
  }

  /** Authenticated sockets of a conversation. */
  listeners(conversationId: string): number {
    return this.#byConversation.get(conversationId)?.size ?? 0;
  }

  /** The upgrade handler of `/ws.chatplugin`. */
  handleUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#closing) return rejectHandshake(socket, 503, 'RUNTIME_NOT_READY', 'the server is shutting down');
    const origin = request.headers.origin;
    if (origin !== undefined && !this.#options.origins.includes('*') && !this.#options.origins.includes(origin)) {
      return rejectHandshake(socket, 403, 'RUNTIME_FORBIDDEN', `origin ${origin} may not open chat sockets`);
    }
    const token = bearerToken(request.headers);
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, token));
  }

  /** Sends `payload` (JSON) to every authenticated socket of the conversation. */
  publish(conversationId: string, payload: unknown): void {
    const sockets = this.#byConversation.get(conversationId);
    if (sockets === undefined) return;
    const text = JSON.stringify(payload);
    for (const socket of sockets) this.#send(socket, text);
  }

  /** Closes (4404) every socket of a channel that was disconnected. */
  closeChannel(channelId: string): void {
    for (const socket of this.#sockets) {
      if (socket.claims?.channelId === channelId) this.#refuse(socket, { close: CHAT_SOCKET_CLOSE_CODES.notFound, code: 'RUNTIME_NOT_FOUND', message: 'the channel was disconnected' });
    }
  }

  /** Closes every socket (1001), waiting up to 1 s for clients to answer before cutting them. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    const closed = [...this.#sockets].map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.ws.readyState === socket.ws.CLOSED) return resolve();
          socket.ws.once('close', () => resolve());
          socket.ws.close(CHAT_SOCKET_CLOSE_CODES.goingAway, reason('RUNTIME_NOT_READY', 'the server is shutting down'));
        }),
    );
    const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
    await Promise.race([Promise.all(closed), grace]);
    for (const socket of this.#sockets) socket.ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #accept(ws: WebSocket, headerToken: string | undefined): void {
    const socket: ChatSocket = { ws, claims: undefined, alive: true, timer: undefined, verifying: false };
    this.#sockets.add(socket);
    ws.on('pong', () => void (socket.alive = true));
    ws.on('error', (err) => this.#options.logger.debug('chatplugin.socket.error', { err }));
    ws.on('close', () => this.#forget(socket));
    ws.on('message', (data, isBinary) => void this.#onFrame(socket, data, isBinary));
    if (this.#closing) return void ws.close(CHAT_SOCKET_CLOSE_CODES.goingAway, reason('RUNTIME_NOT_READY', 'the server is shutting down'));
    if (headerToken !== undefined) return void this.#authenticate(socket, headerToken);
    socket.timer = setTimeout(() => {
      if (socket.claims === undefined && !socket.verifying) {
        this.#refuse(socket, { close: CHAT_SOCKET_CLOSE_CODES.unauthorized, code: 'RUNTIME_UNAUTHORIZED', message: `no authenticate frame within ${this.#options.authTimeoutMs} ms` });
      }
    }, this.#options.authTimeoutMs);
  }

  async #onFrame(socket: ChatSocket, data: RawData, isBinary: boolean): Promise<void> {
    const token = isBinary ? undefined : authenticateToken(data);
    if (socket.claims === undefined && !socket.verifying) {
      if (token === undefined) {
        return this.#refuse(socket, { close: CHAT_SOCKET_CLOSE_CODES.unauthorized, code: 'RUNTIME_UNAUTHORIZED', message: 'the first frame must be {"type":"authenticate","token":"<chat token>"}' });
      }
      return this.#authenticate(socket, token);
    }
    // Authenticated: a new authenticate frame renews the token; anything else is ignored.
    if (token !== undefined && !socket.verifying) await this.#authenticate(socket, token);
  }

  async #authenticate(socket: ChatSocket, token: string): Promise<void> {
    socket.verifying = true;
    let claims: ChatTokenClaims;
    try {
      claims = await this.#options.verify(token);
    } catch (err) {
      socket.verifying = false;
      return this.#refuse(socket, refusalOf(err, this.#options.logger));
    }
    socket.verifying = false;
    if (socket.ws.readyState !== socket.ws.OPEN) return;
    if (socket.claims !== undefined && socket.claims.conversationId !== claims.conversationId) {
      return this.#refuse(socket, { close: CHAT_SOCKET_CLOSE_CODES.forbidden, code: 'RUNTIME_FORBIDDEN', message: 'a socket stays with the conversation it authenticated for' });
    }
    socket.claims = claims;
    let sockets = this.#byConversation.get(claims.conversationId);
    if (sockets === undefined) this.#byConversation.set(claims.conversationId, (sockets = new Set()));
    sockets.add(socket);
    clearTimeout(socket.timer);
    const left = Math.min(claims.expiresAt + EXPIRY_TOLERANCE_MS - Date.now(), 2 ** 31 - 1);
    socket.timer = setTimeout(() => this.#refuse(socket, { close: CHAT_SOCKET_CLOSE_CODES.forbidden, code: 'RUNTIME_FORBIDDEN', message: 'the chat token has expired' }), left);
    socket.timer.unref();
    this.#send(socket, JSON.stringify({ type: 'authenticated', conversation_id: claims.conversationId, channel_id: claims.channelId, expires_at: new Date(claims.expiresAt).toISOString() }));
  }

  #send(socket: ChatSocket, text: string): void {
    if (socket.ws.readyState !== socket.ws.OPEN) return;
    if (socket.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#options.logger.warn('chatplugin.socket.stuck', { bufferedBytes: socket.ws.bufferedAmount });
      return socket.ws.terminate();
    }
    socket.ws.send(text);
  }

  #refuse(socket: ChatSocket, refusal: Refusal): void {
    if (socket.ws.readyState !== socket.ws.OPEN) return;
    this.#send(socket, JSON.stringify({ type: 'error', code: refusal.code, message: refusal.message }));
    socket.ws.close(refusal.close, reason(refusal.code, refusal.message));
    this.#unlist(socket);
  }

  #forget(socket: ChatSocket): void {
    clearTimeout(socket.timer);
    this.#sockets.delete(socket);
    this.#unlist(socket);
  }

  /** Stops pushing to a socket (it is closing). */
  #unlist(socket: ChatSocket): void {
    const id = socket.claims?.conversationId;
    const sockets = id === undefined ? undefined : this.#byConversation.get(id);
    if (sockets === undefined) return;
    sockets.delete(socket);
    if (sockets.size === 0) this.#byConversation.delete(id!);
  }

  #beat(): void {
    for (const socket of this.#sockets) {
      if (!socket.alive) {
        socket.ws.terminate();
        continue;
      }
      socket.alive = false;
      socket.ws.ping();
    }
  }
}

/** The token of an `{"type":"authenticate","token":"…"}` frame; undefined for any other frame. */
function authenticateToken(data: RawData): string | undefined {
  try {
    const frame = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8')) as unknown;
    if (frame === null || typeof frame !== 'object') return undefined;
    const { type, token } = frame as { type?: unknown; token?: unknown };
    return type === 'authenticate' && typeof token === 'string' && token.length > 0 ? token : undefined;
  } catch {
    return undefined;
  }
}

function refusalOf(err: unknown, logger: HostLogger): Refusal {
  if (isSourcesError(err, 'SOURCES_TOKEN_INVALID')) return { close: CHAT_SOCKET_CLOSE_CODES.forbidden, code: 'RUNTIME_FORBIDDEN', message: err.message };
  if (isSourcesError(err, 'SOURCES_CHANNEL_NOT_FOUND')) return { close: CHAT_SOCKET_CLOSE_CODES.notFound, code: 'RUNTIME_NOT_FOUND', message: err.message };
  logger.warn('chatplugin.socket.verify_failed', { err });
  return { close: CHAT_SOCKET_CLOSE_CODES.internal, code: 'RUNTIME_NOT_READY', message: 'the token could not be checked; try again' };
}

/** A close reason `{code, message}` within the protocol's 123 bytes (the message is cut to fit). */
function reason(code: string, message: string): string {
  let text = message;
  for (;;) {
    const json = JSON.stringify({ code, message: text });
    if (Buffer.byteLength(json, 'utf8') <= 123) return json;
    text = `${text.slice(0, Math.max(0, text.length - 8))}…`;
  }
}

/** Answers an upgrade request with an HTTP error instead of a websocket. */
function rejectHandshake(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ message, code });
  const text = status === 403 ? 'Forbidden' : 'Service Unavailable';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
