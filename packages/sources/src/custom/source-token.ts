/**
 * Custom source credentials. A source gets one API token, `psrc.<sourceId>.<43 base64url chars>`
 * (256 random bits), shown once at creation. Only its SHA-256 is stored (`Source.token` =
 * `sha256:<hex>`): the token has full entropy, so a fast hash is enough, and a leaked sources
 * topic does not let anyone call `sources.webhook`. The token names its source, so a request
 * needs nothing else to be authenticated.
 *
 * Outbound requests to the action endpoint are signed with a key derived from the stored hash
 * (HMAC-SHA256(hash, label)), shown once at creation as a `whsec_` secret. Any signing key must
 * be held in usable form by Parley; deriving it keeps one stored secret per source. Whoever can
 * read the sources topic can derive it (not the API token): protect the log.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { encodeSigningSecret } from '../standard-webhooks.js';

/** How every source token begins (`psrc.`): tells it from the host's tokens. */
export const SOURCE_TOKEN_PREFIX = 'psrc.';
const TOKEN_PREFIX = 'psrc';
const HASH_PREFIX = 'sha256:';
const SIGNING_LABEL = 'parley.source.signing-key.v1';
const TOKEN_PATTERN = /^psrc\.([a-z][a-z0-9-]*)\.([A-Za-z0-9_-]{43})$/;

/** A new API token for `sourceId`. */
export function generateSourceToken(sourceId: string): string {
  return `${TOKEN_PREFIX}.${sourceId}.${randomBytes(32).toString('base64url')}`;
}

/** What `Source.token` stores for a token. */
export function hashSourceToken(token: string): string {
  return HASH_PREFIX + createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The source id a well-formed token names; undefined for anything else. */
export function sourceIdOfToken(token: string): string | undefined {
  return TOKEN_PATTERN.exec(token)?.[1];
}

/**
 * Whether `token` hashes to `storedHash`, compared in constant time (both sides are 32-byte
 * digests, so neither content nor length leaks). `compare` is for tests; default
 * `crypto.timingSafeEqual`.
 */
export function sourceTokenMatches(token: string, storedHash: string, compare: (a: Buffer, b: Buffer) => boolean = timingSafeEqual): boolean {
  const given = createHash('sha256').update(token, 'utf8').digest();
  const stored = storedHash.startsWith(HASH_PREFIX) ? Buffer.from(storedHash.slice(HASH_PREFIX.length), 'hex') : Buffer.alloc(0);
  if (stored.length !== given.length) return false;
  return compare(given, stored);
}

/** The HMAC key outbound requests of a source are signed with, derived from its stored hash. */
export function signingKeyOf(storedHash: string): Buffer {
  return createHmac('sha256', storedHash).update(SIGNING_LABEL).digest();
}

/** The `whsec_` secret integrators verify outbound requests with. */
export function signingSecretOf(storedHash: string): string {
  return encodeSigningSecret(signingKeyOf(storedHash));
}
