/**
 * A local stand-in for the Telegram Bot API, for tests and dry runs: `POST /bot<token>/<method>`
 * with a JSON body, checked as Telegram does (the token, the method, `chat_id`, `text`/`photo`,
 * `setWebhook`'s `url` and `secret_token`) and answered like it (`{ ok, result }`, or
 * `{ ok: false, error_code, description, parameters? }`; 429 with `retry_after` when told to).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTelegramCall {
  method: string;
  body: Record<string, unknown>;
}

export class FakeTelegramApi {
  readonly calls: FakeTelegramCall[] = [];
  /** The registered webhook (`setWebhook`), null once deleted. */
  webhook: { url: string; secretToken: string | undefined; allowedUpdates: unknown } | null = null;
  /** Chats that exist (others answer `chat not found`). */
  readonly chats = new Set<string>();
  rateLimited = 0;
  #rateLimitNext = 0;
  #nextMessageId = 1000;
  #server: http.Server | undefined;
  #url = '';

  constructor(
    readonly botToken: string,
    readonly username = 'parley_test_bot',
  ) {}

  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    this.#server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = this.#answer(req, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(answer.ok === true ? 200 : (answer.error_code as number), { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server === undefined ? resolve() : this.#server.close(() => resolve())));
  }

  rateLimitNext(count: number): void {
    this.#rateLimitNext = count;
  }

  #answer(req: http.IncomingMessage, text: string): Record<string, unknown> {
    const error = (code: number, description: string, parameters?: object) => ({ ok: false, error_code: code, description, ...(parameters === undefined ? {} : { parameters }) });
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    if (match === null || req.method !== 'POST') return error(404, 'Not Found');
    if (match[1] !== this.botToken) return error(401, 'Unauthorized');
    let body: Record<string, unknown>;
    try {
      body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      return error(400, "Bad Request: can't parse JSON");
    }
    const method = match[2]!;
    this.calls.push({ method, body });
    if (this.#rateLimitNext > 0) {
      this.#rateLimitNext--;
      this.rateLimited++;
      return error(429, 'Too Many Requests: retry after 0', { retry_after: 0 });
    }
    const botId = Number(this.botToken.split(':')[0]);
    switch (method) {
      case 'getMe':
        return { ok: true, result: { id: botId, is_bot: true, first_name: 'Parley', username: this.username } };
      case 'setWebhook':
        if (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url)) return error(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
        if (body.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(body.secret_token))) return error(400, 'Bad Request: secret token contains unallowed characters');
        this.webhook = { url: body.url, secretToken: body.secret_token as string | undefined, allowedUpdates: body.allowed_updates };
        return { ok: true, result: true, description: 'Webhook was set' };
      case 'deleteWebhook':
        this.webhook = null;
        return { ok: true, result: true, description: 'Webhook was deleted' };
      case 'sendMessage':
      case 'sendPhoto': {
        const chatId = String(body.chat_id ?? '');
        if (chatId === '') return error(400, 'Bad Request: chat_id is empty');
        if (!this.chats.has(chatId)) return error(400, 'Bad Request: chat not found');
        if (method === 'sendMessage' && (typeof body.text !== 'string' || body.text.length === 0)) return error(400, 'Bad Request: message text is empty');
        if (method === 'sendPhoto' && typeof body.photo !== 'string') return error(400, 'Bad Request: there is no photo in the request');
        const content = method === 'sendMessage' ? { text: body.text } : { photo: [{ file_id: 'AgAC-fake', file_unique_id: 'fake', width: 1, height: 1 }], ...(body.caption === undefined ? {} : { caption: body.caption }) };
        return { ok: true, result: { message_id: this.#nextMessageId++, from: { id: botId, is_bot: true, first_name: 'Parley' }, chat: { id: Number(chatId), type: 'private' }, date: Math.floor(Date.now() / 1000), ...content } };
      }
      default:
        return error(404, 'Not Found: method not found');
    }
  }
}
