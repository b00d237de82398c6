/**
 * `X-Twilio-Signature`: base64 HMAC-SHA1, keyed with the auth token, of the full URL Twilio
 * called followed by every form parameter sorted by name as `name + value` (a repeated name once
 * per value, values sorted). For JSON bodies Twilio adds `bodySHA256=<hex SHA-256 of the body>` to
 * the URL and signs the URL alone. Compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type TwilioParams = ReadonlyMap<string, readonly string[]>;

/** The form parameters of a body, in order, repeated names kept. */
export function formParams(body: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) params.set(name, [...(params.get(name) ?? []), value]);
  return params;
}

/** The string Twilio signs. */
export function twilioSignedText(url: string, params: TwilioParams): string {
  let text = url;
  for (const name of [...params.keys()].sort()) for (const value of [...params.get(name)!].sort()) text += name + value;
  return text;
}

/** The signature of `url` and `params` with `authToken`, as the header carries it. */
export function twilioSignature(authToken: string, url: string, params: TwilioParams = new Map()): string {
  return createHmac('sha1', authToken).update(twilioSignedText(url, params), 'utf8').digest('base64');
}

/** Constant-time equality of two strings' bytes (false for different lengths). */
export function sameBytes(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * True when `header` signs this request: the form variant over `url` plus the body's parameters,
 * or, when the URL carries `bodySHA256`, the URL alone plus the body's hash.
 */
export function verifyTwilioSignature(authToken: string, url: string, rawBody: Buffer, header: string | undefined, bodySha256: string | undefined): boolean {
  if (header === undefined || header.length === 0) return false;
  if (bodySha256 !== undefined) {
    const hash = createHash('sha256').update(rawBody).digest('hex');
    return sameBytes(header, twilioSignature(authToken, url)) && sameBytes(bodySha256.toLowerCase(), hash);
  }
  return sameBytes(header, twilioSignature(authToken, url, formParams(rawBody.toString('utf8'))));
}
