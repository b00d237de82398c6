/**
 * One visitor's chat: starts a conversation on the first message (no conversation for visitors
 * who never write), or resumes the stored one on load; keeps the chat token fresh with the resume
 * token; sends; follows the conversation over the websocket and reads what it missed after each
 * reconnect.
 */
import { ApiError } from '../shared/api.js';
import type { ChatApi } from './chat-api.js';
import type { ChatSessionAnswer } from './wire.js';
import { ChatSocket, REFUSED_CLOSE_CODES } from './chat-socket.js';
import { ChatThread } from './chat-thread.js';
import type { SessionStore } from './session-store.js';

/** `idle`: no conversation yet; `offline`: the server cannot be reached (retrying); `unavailable`: the channel is gone. */
export type ChatStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'unavailable';

export interface ChatSessionOptions {
  channelId: string;
  /** `https://parley.example`: where the API and the websocket are. */
  apiOrigin: string;
  api: ChatApi;
  store: SessionStore;
  /** Called after every change of the thread, the status or `earlierCursor`. */
  onChange(): void;
}

/** Renew the chat token this long before it expires. */
const RENEW_BEFORE_MS = 120_000;
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export class ChatSession {
  readonly thread = new ChatThread();
  status: ChatStatus = 'idle';
  /** The cursor to the messages before the oldest shown; null when there are none. */
  earlierCursor: string | null = null;
  #token: string | undefined;
  #resumeToken: string | undefined;
  #socket: ChatSocket | undefined;
  #renewTimer: ReturnType<typeof setTimeout> | undefined;
  #starting: Promise<void> | undefined;
  /** The resume of the stored conversation while it runs: a send waits for it rather than start another conversation. */
  #resuming: Promise<void> | undefined;

  constructor(private readonly options: ChatSessionOptions) {}

  /** Resumes the stored conversation, if any: history, then live updates. */
  resume(): Promise<void> {
    this.#resuming ??= this.#resumeStored().finally(() => (this.#resuming = undefined));
    return this.#resuming;
  }

  async #resumeStored(): Promise<void> {
    const stored = this.options.store.load();
    if (stored === undefined) return;
    this.#resumeToken = stored.resumeToken;
    this.#setStatus('connecting');
    try {
      await untilDone(() => this.#begin({ resume_token: stored.resumeToken }), () => this.#setStatus('offline'));
    } catch (err) {
      this.#forget(err instanceof ApiError && err.status === 404);
    }
  }

  /** Sends the visitor's text (starting the conversation first when there is none). */
  send(text: string): Promise<void> {
    const clientId = newClientId();
    this.thread.addLocal(clientId, text);
    return this.#deliver(clientId, text);
  }

  /** Sends a failed message again, under the same client id: it cannot be stored twice. */
  async retry(clientId: string): Promise<void> {
    const item = this.thread.retrying(clientId);
    if (item !== undefined) await this.#deliver(clientId, item.text);
  }

  async #deliver(clientId: string, text: string): Promise<void> {
    this.options.onChange();
    try {
      await this.#ensureStarted();
      const body = { message: { text }, client_message_id: clientId };
      let sent;
      try {
        sent = await this.options.api.send(this.#token!, body);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 403)) throw err;
        await this.#renew(); // the chat token expired (a sleeping laptop): renew once, send again
        sent = await this.options.api.send(this.#token!, body);
      }
      this.thread.confirm(clientId, sent);
    } catch (err) {
      this.thread.fail(clientId);
      if (err instanceof ApiError && err.status === 404) this.#forget(true);
    }
    this.options.onChange();
  }

  /** Loads the page of messages before the oldest shown. */
  async loadEarlier(): Promise<void> {
    if (this.earlierCursor === null || this.#token === undefined) return;
    const page = await this.options.api.messages(this.#token, { cursor: this.earlierCursor });
    for (const message of page.messages) this.thread.upsert(message);
    this.earlierCursor = page.previous_cursor;
    this.options.onChange();
  }

  stop(): void {
    clearTimeout(this.#renewTimer);
    this.#socket?.stop();
  }

  async #ensureStarted(): Promise<void> {
    if (this.#resuming !== undefined) await this.#resuming;
    if (this.#token !== undefined) return;
    this.#starting ??= this.#begin({ channel_id: this.options.channelId }).finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  /** Authenticates, shows the history, keeps a resume token and opens the socket. */
  async #begin(body: { channel_id: string } | { resume_token: string }): Promise<void> {
    const session = await this.options.api.authenticate(body);
    this.#adopt(session);
    for (const message of session.messages) this.thread.upsert(message);
    this.earlierCursor = session.previous_cursor;
    const resume = await this.options.api.resumeToken(session.token);
    this.#resumeToken = resume.resume_token;
    this.options.store.save({ resumeToken: resume.resume_token, conversationId: session.conversation_id });
    this.#connect();
    this.options.onChange();
  }

  #adopt(session: ChatSessionAnswer): void {
    this.#token = session.token;
    clearTimeout(this.#renewTimer);
    const renewIn = Math.max(10_000, Date.parse(session.expires_at) - Date.now() - RENEW_BEFORE_MS);
    this.#renewTimer = setTimeout(() => void this.#renew().catch(() => undefined), Math.min(renewIn, 2 ** 31 - 1));
  }

  /** A new chat token from the resume token; the socket carries on with it. */
  async #renew(): Promise<void> {
    if (this.#resumeToken === undefined) throw new ApiError(403, 'RUNTIME_FORBIDDEN', 'no resume token to renew the chat with');
    try {
      this.#adopt(await this.options.api.authenticate({ resume_token: this.#resumeToken }));
    } catch (err) {
      if (err instanceof ApiError && err.status < 500) this.#forget(err.status === 404);
      throw err;
    }
    this.#socket?.renew();
  }

  #connect(): void {
    if (this.#socket !== undefined) return this.#socket.reconnectNow();
    const url = `${this.options.apiOrigin.replace(/^http/, 'ws')}/ws.chatplugin`;
    this.#socket = new ChatSocket(url, () => this.#token ?? '', {
      onAuthenticated: () => {
        this.#setStatus('online');
        void this.#catchUp();
      },
      onMessage: (message) => {
        this.thread.upsert(message);
        this.options.onChange();
      },
      onDown: () => this.#setStatus('offline'),
      onRefused: (code) => {
        if (code === REFUSED_CLOSE_CODES.notFound) return this.#forget(true);
        this.#setStatus('offline');
        // A new chat token first (the network may be down just now: retried); #renew forgets the conversation on a 4xx.
        void untilDone(() => this.#renew(), () => undefined).then(
          () => this.#socket?.reconnectNow(),
          () => undefined,
        );
      },
    });
    this.#setStatus('connecting');
    this.#socket.start();
  }

  /** What arrived while the socket was not listening (the server replays nothing). */
  async #catchUp(): Promise<void> {
    if (this.#token === undefined) return;
    try {
      const page = await this.options.api.messages(this.#token, {});
      for (const message of page.messages) this.thread.upsert(message);
      this.options.onChange();
    } catch {
      // the next reconnect reads again
    }
  }

  /** The stored conversation is no longer usable: the next message starts a new one (or none: the channel is gone). */
  #forget(channelGone: boolean): void {
    this.options.store.clear();
    this.stop();
    this.#socket = undefined;
    this.#token = undefined;
    this.#resumeToken = undefined;
    this.#setStatus(channelGone ? 'unavailable' : 'idle');
  }

  #setStatus(status: ChatStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onChange();
  }
}

/**
 * Runs `attempt` until it succeeds, or rejects with its ApiError when that is a 4xx (retrying
 * will not help). Network failures and 5xx are retried after 1 s, doubling to 30 s.
 */
async function untilDone(attempt: () => Promise<void>, onFailure: () => void): Promise<void> {
  for (let delay = RETRY_FIRST_MS; ; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
    try {
      return await attempt();
    } catch (err) {
      if (err instanceof ApiError && err.status < 500) throw err;
      onFailure();
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** A client message id (also where `crypto.randomUUID` is missing: pages served over plain HTTP). */
function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `w-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
