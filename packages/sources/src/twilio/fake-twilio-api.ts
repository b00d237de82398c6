/**
 * A local stand-in for Twilio's Messages API, for tests and dry runs without a Twilio account:
 * it checks each request as Twilio does (path and API version, HTTP Basic with the AccountSid and
 * auth token, form encoding, `To`, `From`/`MessagingServiceSid`, `Body`/`MediaUrl`) and answers
 * like it (201 with a `sid`; Twilio's error codes; 429 when told to rate-limit). It can also play
 * Twilio's side of status callbacks: signed form POSTs to the `StatusCallback` URL a message named.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSignature } from './twilio-signature.js';

export interface FakeTwilioMessage {
  sid: string;
  /** The request's form parameters (the last value of a repeated name, except MediaUrl). */
  form: Record<string, string>;
  mediaUrls: string[];
}

const E164 = /^(whatsapp:)?\+[1-9][0-9]{1,14}$/;

export class FakeTwilioApi {
  readonly messages: FakeTwilioMessage[] = [];
  /** Requests answered 429 so far. */
  rateLimited = 0;
  #rateLimitNext = 0;
  #server: http.Server | undefined;
  #url = '';

  constructor(
    readonly accountSid: string,
    readonly authToken: string,
  ) {}

  /** The origin to configure as `apiBaseUrl`. */
  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    this.#server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = this.#answer(req, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body));
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

  /** Answers the next `count` requests with 429 (Twilio error 20429, `Retry-After: 0`). */
  rateLimitNext(count: number): void {
    this.#rateLimitNext = count;
  }

  /**
   * Plays a status callback of message `sid`: form `MessageSid`, `MessageStatus` (and `ErrorCode`)
   * signed for the message's `StatusCallback` URL, posted to `deliverTo` (the same path and query
   * on another origin: what a proxy in front of the runtime does).
   */
  async sendStatus(sid: string, status: string, deliverTo: string, errorCode?: string): Promise<Response> {
    const message = this.messages.find((m) => m.sid === sid);
    if (message?.form.StatusCallback === undefined) throw new Error(`message ${sid} named no StatusCallback`);
    const callback = new URL(message.form.StatusCallback);
    const form = new URLSearchParams({ MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, AccountSid: this.accountSid, To: message.form.To ?? '', ApiVersion: '2010-04-01' });
    if (errorCode !== undefined) form.set('ErrorCode', errorCode);
    const params = new Map([...form].map(([k, v]) => [k, [v]] as const));
    return fetch(`${deliverTo}${callback.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(this.authToken, callback.toString(), params), 'i-twilio-idempotency-token': randomBytes(8).toString('hex') },
      body: form.toString(),
    });
  }

  #answer(req: http.IncomingMessage, body: string): { status: number; body: unknown; headers?: Record<string, string> } {
    const error = (status: number, code: number, message: string) => ({ status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } });
    const path = `/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
    const basic = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== basic) return error(401, 20003, 'Authenticate');
    if (req.method !== 'POST' || req.url !== path) return error(404, 20404, `The requested resource ${req.url} was not found`);
    if (this.#rateLimitNext > 0) {
      this.#rateLimitNext--;
      this.rateLimited++;
      return { ...error(429, 20429, 'Too Many Requests'), headers: { 'retry-after': '0' } };
    }
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return error(400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
    const params = new URLSearchParams(body);
    const form = Object.fromEntries(params);
    const mediaUrls = params.getAll('MediaUrl');
    if (form.To === undefined) return error(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(form.To)) return error(400, 21211, `The 'To' number ${form.To} is not a valid phone number.`);
    if (form.From === undefined && form.MessagingServiceSid === undefined) return error(400, 21603, "A 'From' phone number is required.");
    if (form.From !== undefined && form.To.startsWith('whatsapp:') !== form.From.startsWith('whatsapp:')) return error(400, 63007, `Twilio could not find a Channel with the specified From address: ${form.From}`);
    if ((form.Body ?? '').length === 0 && mediaUrls.length === 0) return error(400, 21602, 'Message body is required.');
    if ((form.Body ?? '').length > 1600) return error(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    const sid = `${mediaUrls.length > 0 ? 'MM' : 'SM'}${randomBytes(16).toString('hex')}`;
    this.messages.push({ sid, form, mediaUrls });
    return {
      status: 201,
      body: { sid, account_sid: this.accountSid, api_version: '2010-04-01', to: form.To, from: form.From ?? null, messaging_service_sid: form.MessagingServiceSid ?? null, body: form.Body ?? '', status: form.MessagingServiceSid === undefined ? 'queued' : 'accepted', num_media: String(mediaUrls.length), error_code: null, error_message: null },
    };
  }
}
