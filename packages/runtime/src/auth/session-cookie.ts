/**
 * The inbox's login session travels in one cookie, `parley_session`, holding the session JWT:
 * `HttpOnly` (page scripts cannot read it), `SameSite=Strict` (browsers do not send it on
 * requests another site starts), `Path=/`, and `Secure` when the request came over https.
 *
 * CSRF: besides SameSite=Strict, a request authenticated by the cookie alone must declare
 * `Content-Type: application/json` — a cross-site HTML form can only send urlencoded, multipart
 * or text/plain bodies, and a cross-site `fetch` with JSON needs a CORS preflight the runtime
 * never grants for Core API routes — and must not come with `Sec-Fetch-Site: cross-site`.
 */
import type { RequestHeaders } from './authenticator.js';

export const SESSION_COOKIE = 'parley_session';

/** The value of the session cookie in a `Cookie` header, or undefined. */
export function sessionCookieOf(headers: RequestHeaders): string | undefined {
  const raw = headers.cookie;
  const header = Array.isArray(raw) ? raw.join('; ') : raw;
  if (typeof header !== 'string') return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = pair.slice(eq + 1).trim();
    return value.length === 0 ? undefined : value;
  }
  return undefined;
}

/** Why a cookie-authenticated request is refused as a possible cross-site forgery, or undefined when it is not. */
export function csrfRefusal(headers: RequestHeaders): string | undefined {
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite === 'cross-site') return 'a request from another site cannot use the session cookie';
  const type = headers['content-type'];
  const mime = (Array.isArray(type) ? type[0] : type)?.split(';')[0]?.trim().toLowerCase();
  if (mime !== 'application/json') return 'a request authenticated by the session cookie must be sent as Content-Type: application/json';
  return undefined;
}

/** What a route handler may do with the session cookie of its answer (auth.login, auth.logout). */
export interface SessionCookieJar {
  /** True when the request came over https (the cookie is then `Secure`). */
  readonly secure: boolean;
  set(token: string, maxAgeSeconds: number): void;
  clear(): void;
}
