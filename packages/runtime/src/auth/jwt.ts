import { randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { RuntimeError } from '../errors.js';

/** A fresh random JWT secret: 48 random bytes, base64url (64 characters). */
export function generateJwtSecret(): string {
  return randomBytes(48).toString('base64url');
}

export interface SignJwtOptions {
  /** The `sub` claim: who the token speaks for. Required. */
  subject: string;
  /** Lifetime in seconds from now; omitted means no `exp` claim (a token that never expires). */
  expiresInSeconds?: number;
  /** Extra claims. */
  claims?: JWTPayload;
  /** Seconds since the epoch used as `iat`. Default now. */
  issuedAt?: number;
}

/** An HS256 JWT signed with `secret` (its UTF-8 bytes). */
export async function signJwt(secret: string, options: SignJwtOptions): Promise<string> {
  if (typeof options?.subject !== 'string' || options.subject.length === 0) throw new TypeError('signJwt needs a subject');
  const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ ...options.claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(options.subject).setIssuedAt(iat);
  if (options.expiresInSeconds !== undefined) jwt.setExpirationTime(iat + options.expiresInSeconds);
  return jwt.sign(new TextEncoder().encode(secret));
}

/**
 * Verifies an HS256 JWT and returns its claims; a token without `sub`, with a bad signature,
 * another algorithm, or past its `exp` (5 s of clock tolerance) throws RUNTIME_FORBIDDEN — or
 * RUNTIME_SESSION_EXPIRED for an expired login session token (one with a `sid` claim).
 */
export async function verifyJwt(secret: string, token: string, now?: Date): Promise<JWTPayload & { sub: string }> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['sub'],
      clockTolerance: 5,
      ...(now === undefined ? {} : { currentDate: now }),
    });
    return payload as JWTPayload & { sub: string };
  } catch (cause) {
    const expired = cause instanceof joseErrors.JWTExpired;
    // A login session's token (it has a `sid`) that expired is a session to start again: its own code.
    if (expired && typeof cause.payload.sid === 'string') throw new RuntimeError('RUNTIME_SESSION_EXPIRED', 'the login session has expired: log in again', { cause });
    throw new RuntimeError('RUNTIME_FORBIDDEN', expired ? 'the token has expired' : 'the token is not valid', { cause });
  }
}
