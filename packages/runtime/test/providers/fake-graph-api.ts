/**
 * A local stand-in for Meta's Graph API Send endpoint (and `GET /me/accounts`, the pages a user
 * token manages, and `GET /<PSID>` profiles), checking each request as Graph would:
 * method and path (`POST /<version>/<PAGE_ID>/messages`, or `/me/messages` where the token names
 * the page or Instagram account), the page token (Bearer header or
 * `access_token`), a JSON body with `recipient.id`, a valid `messaging_type` and a `message` with
 * `text` (< 2000 characters) or an `attachment`. It answers like Graph — `{recipient_id,
 * message_id}` — or with Graph's error bodies: 190 for a bad token, 100 for a bad request, and
 * whatever a test queued (rate limits 4/32/613, HTTP 429, the 24-hour window's 10/2018278).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphCall {
  method: string;
  path: string;
  token: string | undefined;
  body: any;
}

export interface QueuedAnswer {
  status: number;
  body: unknown;
}

/** Graph's error body. */
export function graphErrorBody(code: number, message: string, subcode?: number) {
  return { error: { message, type: code === 190 ? 'OAuthException' : 'OAuthException', code, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id: 'AbCdEf123' } };
}

export const GRAPH_ANSWERS = Object.freeze({
  pageRateLimit: { status: 400, body: graphErrorBody(32, '(#32) Page request limit reached') },
  customRateLimit: { status: 400, body: graphErrorBody(613, '(#613) Calls to this api have exceeded the rate limit.') },
  tooManyRequests: { status: 429, body: graphErrorBody(4, '(#4) Application request limit reached') },
  outsideWindow: { status: 400, body: graphErrorBody(10, '(#10) This message is sent outside of allowed window.', 2018278) },
  whatsappReengagement: { status: 400, body: { error: { message: '(#131047) Re-engagement message', type: 'OAuthException', code: 131047, error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' }, fbtrace_id: 'AbCdEf123' } } },
  whatsappThroughput: { status: 400, body: graphErrorBody(130429, '(#130429) Rate limit hit') },
});

/** A Messenger or Instagram user as `GET /<PSID|IGSID>` shows it to the page (or account) they wrote to. */
export interface FakeProfile {
  page: string;
  [field: string]: string;
}

/** A page a Facebook user can manage, as `GET /me/accounts` lists it. */
export interface FakeManagedPage {
  id: string;
  name: string;
  picture?: string;
}

export interface FakeGraphOptions {
  version: string;
  /** Page (or account, or phone number) id → its token. */
  pages: Record<string, string>;
  profiles?: Record<string, FakeProfile>;
  /** User access token → the pages that user manages (`GET /me/accounts`). */
  users?: Record<string, FakeManagedPage[]>;
  /** Pages per `GET /me/accounts` answer (Graph's default 25). */
  accountsPageSize?: number;
}

export async function startFakeGraphApi(options: FakeGraphOptions) {
  const calls: GraphCall[] = [];
  const queue: QueuedAnswer[] = [];
  const nextMessageIds: string[] = [];
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://graph.local');
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (url.searchParams.get('access_token') ?? undefined);
      let body: any;
      try {
        body = chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = '<not json>';
      }
      calls.push({ method: req.method ?? '', path: url.pathname, token, body });
      const answer = (status: number, json: unknown) => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      const version = `/${options.version}/`;
      if (req.method === 'GET' && url.pathname === `${version}me/accounts`) return accounts();
      if (req.method === 'GET' && url.pathname.startsWith(version) && !url.pathname.slice(version.length).includes('/')) return profile(decodeURIComponent(url.pathname.slice(version.length)));
      const match = new RegExp(`^/${options.version.replace('.', '\\.')}/(\\d+|me)/messages$`).exec(url.pathname);
      if (req.method !== 'POST' || match === null) return answer(400, graphErrorBody(100, `Unknown path components: ${url.pathname}`));
      const page = match[1] === 'me' ? Object.keys(options.pages).find((p) => options.pages[p] === token) : match[1]!;
      if (token === undefined || page === undefined || options.pages[page] !== token) return answer(400, graphErrorBody(190, 'Invalid OAuth access token - Cannot parse access token'));
      if (req.headers['content-type']?.startsWith('application/json') !== true || typeof body !== 'object' || body === null) return answer(400, graphErrorBody(100, 'The parameter recipient is required'));
      if (body.messaging_product === undefined && typeof body.recipient?.id !== 'string') return answer(400, graphErrorBody(100, 'The parameter recipient is required'));
      if (body.messaging_product === 'whatsapp') return whatsapp();
      // Messenger requires messaging_type; Instagram's /me/messages takes it optionally.
      const typeOk = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(body.messaging_type) || (match[1] === 'me' && body.messaging_type === undefined);
      if (!typeOk) return answer(400, graphErrorBody(100, 'Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}'));
      const message = body.message;
      const text = typeof message?.text === 'string' && message.text.length > 0 && message.text.length < 2000;
      const attachment = typeof message?.attachment?.type === 'string';
      if (!text && !attachment) return answer(400, graphErrorBody(100, 'Invalid parameter', 2018001));
      const queued = queue.shift();
      if (queued !== undefined) return answer(queued.status, queued.body);
      const messageId = nextMessageIds.shift() ?? `m_graph_${++next}`;
      answer(200, { recipient_id: body.recipient.id, message_id: messageId });

      /** WhatsApp Cloud API `POST /<PHONE_NUMBER_ID>/messages`: a message to `to`, or a read mark. */
      function whatsapp() {
        if (body.status === 'read') {
          if (typeof body.message_id !== 'string') return answer(400, graphErrorBody(100, 'The parameter message_id is required'));
          return answer(200, { success: true });
        }
        if (body.recipient_type !== undefined && body.recipient_type !== 'individual') return answer(400, graphErrorBody(100, 'Invalid parameter recipient_type'));
        if (typeof body.to !== 'string' || !/^\+?\d{6,15}$/.test(body.to)) return answer(400, graphErrorBody(100, 'Invalid parameter to', 2494011));
        const types = ['text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'interactive', 'template', 'reaction'];
        if (!types.includes(body.type)) return answer(400, graphErrorBody(100, 'Param type must be one of {' + types.join(', ') + '}'));
        if (body.type === 'text' && (typeof body.text?.body !== 'string' || body.text.body.length === 0 || body.text.body.length > 4096)) return answer(400, graphErrorBody(100, 'Param text[\'body\'] is required'));
        const queued = queue.shift();
        if (queued !== undefined) return answer(queued.status, queued.body);
        answer(200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: nextMessageIds.shift() ?? `wamid.graph${++next}` }] });
      }

      /**
       * `GET /me/accounts?fields=…&after=…`: the pages of the user whose token it is, a page of
       * `accountsPageSize` at a time with Graph's cursor paging, only the fields asked for
       * (`picture` as `{data:{url,…}}`); a page token or an unknown token is refused (190).
       */
      function accounts() {
        const managed = token === undefined ? undefined : options.users?.[token];
        if (managed === undefined) return answer(400, graphErrorBody(190, 'Invalid OAuth access token - Cannot parse access token'));
        const fields = (url.searchParams.get('fields') ?? 'id,name').split(',');
        const size = options.accountsPageSize ?? 25;
        const after = url.searchParams.get('after');
        const start = after === null ? 0 : Number(Buffer.from(after, 'base64url').toString('utf8'));
        if (!Number.isInteger(start) || start < 0 || start > managed.length) return answer(400, graphErrorBody(100, 'Invalid cursor'));
        const slice = managed.slice(start, start + size);
        const cursor = (i: number) => Buffer.from(String(i)).toString('base64url');
        const data = slice.map((p) => ({
          ...(fields.includes('id') ? { id: p.id } : {}),
          ...(fields.includes('name') ? { name: p.name } : {}),
          ...(fields.includes('picture') && p.picture !== undefined ? { picture: { data: { height: 50, is_silhouette: false, url: p.picture, width: 50 } } } : {}),
        }));
        const more = start + size < managed.length;
        answer(200, { data, paging: { cursors: { before: cursor(start), after: cursor(start + slice.length) }, ...(more ? { next: `https://graph.facebook.com/${options.version}/me/accounts?after=${cursor(start + slice.length)}` } : {}) } });
      }

      /** `GET /<PSID>?fields=…`: only with the token of the page the user wrote to, only the fields asked for. */
      function profile(psid: string) {
        const known = options.profiles?.[psid];
        if (known === undefined) return answer(400, graphErrorBody(100, `Unsupported get request. Object with ID '${psid}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 33));
        if (token === undefined || options.pages[known.page] !== token) return answer(400, graphErrorBody(190, 'Invalid OAuth access token - Cannot parse access token'));
        const fields = (url.searchParams.get('fields') ?? '').split(',').filter((f) => f in known && f !== 'page');
        answer(200, { ...Object.fromEntries(fields.map((f) => [f, known[f]])), id: psid });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    /** The next answers to valid requests, in order, before Graph's normal answer. */
    queue: (...answers: QueuedAnswer[]) => void queue.push(...answers),
    /** The `message_id`s the next successful sends answer (then `m_graph_<n>`). */
    nextMessageIds: (...ids: string[]) => void nextMessageIds.push(...ids),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
