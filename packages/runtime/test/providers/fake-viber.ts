/**
 * A local stand-in for Viber: the Bot API (`/pa/get_account_info`, `/pa/set_webhook`,
 * `/pa/send_message`, checked as Viber checks them: the auth token, the path, the body's shape)
 * and Viber's side of the webhook (`set_webhook` checks the URL at once with a signed `webhook`
 * callback that must be answered 200; `callback()` posts signed callbacks as Viber does). A
 * forwarding server plays the public address (`webhookUrl`) in front of the runtime, whose port is
 * known only once it started, as a proxy would.
 */
import { createHmac } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export const VIBER_TOKEN = '445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9';
export const VIBER_ACCOUNT = 'pa:5188519582451243213';

export interface FakeViber {
  /** The Bot API base URL (`apiUrl`). */
  apiUrl: string;
  /** The public webhook URL (`webhookUrl`), forwarding to `target`. */
  webhookUrl: string;
  /** Where the public URL forwards to (the runtime's URL), set once it started. */
  target: string;
  /** Every Bot API call, in order. */
  calls: { method: string; body: any }[];
  /** The tokens send_message answered, in order (64-bit integers as decimal text). */
  tokens: string[];
  /** Posts a callback to the webhook URL signed with the bot token (or `signature`). */
  callback(body: string, signature?: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

const sign = (body: string) => createHmac('sha256', VIBER_TOKEN).update(body).digest('hex');

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const readBody = (req: http.IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });

export async function startFakeViber(): Promise<FakeViber> {
  let nextToken = 5741311803571721000n;
  const fake: FakeViber = {
    apiUrl: '',
    webhookUrl: '',
    target: '',
    calls: [],
    tokens: [],
    async callback(body, signature) {
      const res = await fetch(fake.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-viber-content-signature': signature ?? sign(body) }, body });
      return { status: res.status, text: await res.text() };
    },
    close: async () => {
      await Promise.all([api, proxy].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
  const answer = (res: http.ServerResponse, body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
  const api = http.createServer(async (req, res) => {
    const raw = (await readBody(req)).toString('utf8');
    const method = (req.url ?? '').replace(/^\/pa\//, '');
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return answer(res, { status: 3, status_message: 'badData' });
    }
    fake.calls.push({ method, body });
    if (req.method !== 'POST' || !req.url?.startsWith('/pa/')) return void res.writeHead(404).end();
    if (req.headers['x-viber-auth-token'] !== VIBER_TOKEN) return answer(res, { status: 2, status_message: 'invalidAuthToken' });
    switch (method) {
      case 'get_account_info':
        return answer(res, { status: 0, status_message: 'ok', id: VIBER_ACCOUNT, name: 'Acme bot', uri: 'acme', icon: 'https://media.example.com/acme.png', subscribers_count: 1 });
      case 'set_webhook': {
        if (typeof body.url !== 'string') return answer(res, { status: 3, status_message: 'badData' });
        if (body.url !== '') {
          // Viber checks the URL at once with a signed `webhook` callback and wants a 200.
          const check = await fake.callback(JSON.stringify({ event: 'webhook', timestamp: Date.now(), chat_hostname: 'SN-1', message_token: 241256543215 })).catch(() => ({ status: 0, text: '' }));
          if (check.status !== 200) return answer(res, { status: 1, status_message: 'invalidUrl' });
        }
        return answer(res, { status: 0, status_message: 'ok', event_types: body.event_types ?? [] });
      }
      case 'send_message': {
        if (typeof body.receiver !== 'string' || typeof body.type !== 'string' || typeof body.sender?.name !== 'string' || body.sender.name.length > 28) {
          return answer(res, { status: 3, status_message: 'badData' });
        }
        const token = (nextToken++).toString();
        fake.tokens.push(token);
        // The token is a bare 64-bit integer in Viber's JSON.
        return answer(res, `{"status":0,"status_message":"ok","message_token":${token},"chat_hostname":"SN-1"}`);
      }
      default:
        return answer(res, { status: 3, status_message: 'badData' });
    }
  });
  const proxy = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'x-viber-content-signature']) if (typeof req.headers[name] === 'string') headers[name] = req.headers[name] as string;
    const forwarded = await fetch(fake.target + req.url, { method: req.method, headers, ...(body.length > 0 ? { body } : {}) });
    res.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'text/plain' }).end(Buffer.from(await forwarded.arrayBuffer()));
  });
  fake.apiUrl = `${await listen(api)}/pa`;
  fake.webhookUrl = `${await listen(proxy)}/webhooks/viber`;
  return fake;
}
