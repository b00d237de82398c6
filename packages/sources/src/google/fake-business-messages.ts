/**
 * A local stand-in for Google's OAuth2 token endpoint and the Business Messages API, checking
 * requests as Google did: the JWT bearer grant (form-encoded; the RS256 assertion verified with the
 * service account's public key, its issuer, audience and scope), then `POST
 * /v1/conversations/{id}/messages` with that bearer token, a `messageId` and a representative.
 * For tests and dry runs without a Google account (like twilio's FakeTwilioApi); exported by the package.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { importSPKI, jwtVerify } from 'jose';

const SERVICE_ACCOUNT_EMAIL = 'parley@acme.iam.gserviceaccount.com';

// Made on first use, not when the package is imported (an RSA key takes a moment).
let keys: { publicKey: string; privateKey: string } | undefined;
const accountKeys = () => (keys ??= generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }));

/** The service account the fake token endpoint accepts. */
export function fakeGoogleServiceAccount(): { clientEmail: string; privateKey: string } {
  return { clientEmail: SERVICE_ACCOUNT_EMAIL, privateKey: accountKeys().privateKey };
}

export interface FakeBusinessMessages {
  apiUrl: string;
  tokenUrl: string;
  tokensIssued: number;
  messages: { conversation: string; body: unknown }[];
  /** Scripted answers of the messages endpoint, consumed in order (default 200 with the message). */
  answers: [number, unknown][];
  close(): Promise<void>;
}

const readBody = (req: http.IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(data));
  });

export async function startFakeBusinessMessages(): Promise<FakeBusinessMessages> {
  const publicKey = await importSPKI(accountKeys().publicKey, 'RS256');
  const issued = new Set<string>();
  const json = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const fake: FakeBusinessMessages = {
    apiUrl: '',
    tokenUrl: '',
    tokensIssued: 0,
    messages: [],
    answers: [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer(async (req, res) => {
    const text = await readBody(req);
    if (req.method === 'POST' && req.url === '/token') {
      const form = new URLSearchParams(text);
      if (req.headers['content-type'] !== 'application/x-www-form-urlencoded' || form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return json(res, 400, { error: 'unsupported_grant_type' });
      try {
        const { payload } = await jwtVerify(form.get('assertion') ?? '', publicKey, { issuer: SERVICE_ACCOUNT_EMAIL, audience: fake.tokenUrl, algorithms: ['RS256'] });
        if (payload.scope !== 'https://www.googleapis.com/auth/businessmessages') return json(res, 400, { error: 'invalid_scope' });
      } catch {
        return json(res, 400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
      }
      const token = `ya29.fake-${++fake.tokensIssued}`;
      issued.add(token);
      return json(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }
    const match = /^\/v1\/conversations\/([^/]+)\/messages$/.exec(req.url ?? '');
    if (req.method !== 'POST' || match === null) return json(res, 404, { error: { code: 404, message: 'Not found', status: 'NOT_FOUND' } });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !issued.has(bearer)) return json(res, 401, { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } });
    const body = JSON.parse(text);
    if (typeof body.messageId !== 'string' || !['BOT', 'HUMAN'].includes(body.representative?.representativeType)) {
      return json(res, 400, { error: { code: 400, message: 'Invalid argument: messageId and representative are required', status: 'INVALID_ARGUMENT' } });
    }
    const conversation = decodeURIComponent(match[1]!);
    fake.messages.push({ conversation, body });
    const [status, answer] = fake.answers.shift() ?? [200, { name: `conversations/${conversation}/messages/${body.messageId}`, ...body }];
    return json(res, status, answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.apiUrl = `${base}/v1`;
  fake.tokenUrl = `${base}/token`;
  return fake;
}
