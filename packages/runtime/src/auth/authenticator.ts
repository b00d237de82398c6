import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerToken as parseBearerToken } from '@parley/sources';
import { RuntimeError } from '../errors.js';
import { verifyJwt } from './jwt.js';
import type { Principal } from './principal.js';

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
}

/** Resolves who sent a request, from its headers only (framework-free). */
export interface Authenticator {
  readonly enabled: boolean;
  /**
   * The principal behind `Authorization: Bearer <token>`, where the token is the system token or
   * a JWT. No token: RUNTIME_UNAUTHORIZED (401). A token that is neither: RUNTIME_FORBIDDEN (403).
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
      const token = bearerToken(headers);
      if (timingSafeEqual(digest(token), systemDigest)) return SYSTEM;
      if (token.split('.').length !== 3) throw new RuntimeError('RUNTIME_FORBIDDEN', 'the token is not valid');
      const claims = await verifyJwt(jwtSecret, token, options.clock?.());
      return { kind: 'user', id: claims.sub, claims };
    },
  };
}

function bearerToken(headers: RequestHeaders): string {
  const token = bearerTokenOf(headers);
  if (token === undefined) throw new RuntimeError('RUNTIME_UNAUTHORIZED', 'this endpoint needs an "Authorization: Bearer <token>" header');
  return token;
}

/** The token of an `Authorization: Bearer <token>` header (any letter case), or undefined: `@parley/sources`' one parser. */
export const bearerTokenOf: (headers: RequestHeaders) => string | undefined = parseBearerToken;

/** SHA-256 of a token: equal-length inputs for timingSafeEqual. */
export function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
