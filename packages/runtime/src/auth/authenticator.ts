import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerToken as parseBearerToken } from '@parley/sources';
import { RuntimeError } from '../errors.js';
import { verifyJwt } from './jwt.js';
import type { Principal } from './principal.js';
import { csrfRefusal, sessionCookieOf } from './session-cookie.js';

/** Request headers as Node gives them (any letter case is accepted for `authorization`). */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface AuthenticatorOptions {
  /** With false, every request is the anonymous principal. */
  enabled: boolean;
  /** The system token; required when enabled. */
  systemToken?: string;
  /** The HS256 secret JWTs are verified with; required when enabled. */
  jwtSecret?: string;
  /** The time tokens are checked against. Default: now. */
  clock?: () => Date;
  /**
   * Checks a session JWT (one with a `sid` claim, minted by `auth.login`) against the sessions
   * the runtime keeps: throws RUNTIME_SESSION_EXPIRED for an ended session or a deleted user.
   * Read on each call, so it can be set after the authenticator was made.
   */
  sessionCheck?: () => SessionCheck | undefined;
}

/** Throws when the session `sid` of `userId`, whose token was issued at `issuedAt` (seconds since the epoch, when known), no longer holds. */
export type SessionCheck = (sid: string, userId: string, issuedAt: number | undefined) => void;

/** Resolves who sent a request, from its headers only (framework-free). */
export interface Authenticator {
  readonly enabled: boolean;
  /**
   * The principal behind `Authorization: Bearer <token>`, where the token is the system token or
   * a JWT, or else behind the session cookie (session-cookie.ts; CSRF checks apply). No token:
   * RUNTIME_UNAUTHORIZED (401). A token that is neither: RUNTIME_FORBIDDEN (403). A session
   * past its expiry, logged out or of a deleted user: RUNTIME_SESSION_EXPIRED (401).
   */
  authenticate(headers: RequestHeaders): Promise<Principal>;
}

const ANONYMOUS: Principal = { kind: 'anonymous', id: 'anonymous' };
const SYSTEM: Principal = { kind: 'system', id: 'system' };

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  if (!options.enabled) return { enabled: false, authenticate: () => Promise.resolve(ANONYMOUS) };
  const { systemToken, jwtSecret } = options;
  if (typeof systemToken !== 'string' || systemToken.length === 0) throw new TypeError('an enabled authenticator needs a systemToken');
  if (typeof jwtSecret !== 'string' || jwtSecret.length === 0) throw new TypeError('an enabled authenticator needs a jwtSecret');
  // Hashing both sides gives equal-length inputs, so timingSafeEqual leaks neither content nor length.
  const systemDigest = digest(systemToken);
  return {
    enabled: true,
    async authenticate(headers) {
      const token = bearerTokenOf(headers) ?? cookieToken(headers);
      if (timingSafeEqual(digest(token), systemDigest)) return SYSTEM;
      if (token.split('.').length !== 3) throw new RuntimeError('RUNTIME_FORBIDDEN', 'the token is not valid');
      const claims = await verifyJwt(jwtSecret, token, options.clock?.());
      if (typeof claims.sid === 'string') options.sessionCheck?.()?.(claims.sid, claims.sub, claims.iat);
      return { kind: 'user', id: claims.sub, claims };
    },
  };
}

/** The session cookie's token when the request may use it (CSRF checks), else RUNTIME_UNAUTHORIZED / RUNTIME_FORBIDDEN. */
function cookieToken(headers: RequestHeaders): string {
  const token = sessionCookieOf(headers);
  if (token === undefined) throw new RuntimeError('RUNTIME_UNAUTHORIZED', 'this endpoint needs an "Authorization: Bearer <token>" header or a login session');
  const refusal = csrfRefusal(headers);
  if (refusal !== undefined) throw new RuntimeError('RUNTIME_FORBIDDEN', refusal);
  return token;
}

/** The token of an `Authorization: Bearer <token>` header (any letter case), or undefined: `@parley/sources`' one parser. */
export const bearerTokenOf: (headers: RequestHeaders) => string | undefined = parseBearerToken;

/** SHA-256 of a token: equal-length inputs for timingSafeEqual. */
export function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
