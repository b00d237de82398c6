/**
 * Chat plugin tokens: HS256 JWTs signed with the chat plugin's own key (never the runtime's JWT
 * secret, so a visitor's token is never a user JWT of the Core API and a user JWT never a chat
 * token; `aud` is checked too). Claims:
 *
 * - `typ`: `chat` (sends, reads and the websocket; default 1 h) or `resume` (trades for a new
 *   chat token on the same conversation; default 7 days). Each is refused where the other is due.
 * - `conversation_id`, `channel_id`: the conversation the bearer may read and write; `sub` is
 *   the conversation id too (the visitor is known by nothing else).
 * - `aud` `parley:chatplugin`, `iat`, `exp`, and a random `jti` (each token issued is distinct).
 *
 * Verification is jose's (signature compared in constant time, `alg` pinned to HS256, 5 s of
 * clock tolerance), then the claims are checked against their schema.
 */
import { randomUUID } from 'node:crypto';
import { isCanonicalUuid } from '@parley/schemas';
import { compactVerify, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { SourcesError } from '../errors.js';

/** `chat` authorises sends, history and the websocket; `resume` only trades for a chat token. */
export type ChatTokenType = 'chat' | 'resume';

/** The `aud` claim of every chat plugin token. */
export const CHAT_TOKEN_AUDIENCE = 'parley:chatplugin';

/** Default lifetimes, in seconds. */
export const CHAT_TOKEN_DEFAULTS = Object.freeze({ chatTtlSeconds: 3600, resumeTtlSeconds: 7 * 24 * 3600 });

/** Shortest accepted signing key, in characters (its UTF-8 bytes are the HS256 key). */
export const MIN_CHAT_TOKEN_SECRET_LENGTH = 32;

/** What a verified token says. */
export interface ChatTokenClaims {
  typ: ChatTokenType;
  conversationId: string;
  channelId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** A freshly signed token. */
export interface SignedChatToken {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface ChatTokensOptions {
  /** The HS256 key (its UTF-8 bytes), at least 32 characters. */
  secret: string;
  /** Lifetime of chat tokens, in seconds. Default 3600. */
  chatTtlSeconds?: number;
  /** Lifetime of resume tokens, in seconds. Default 604 800 (7 days). */
  resumeTtlSeconds?: number;
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
}

/** Signs and verifies chat plugin tokens with one key. */
export class ChatTokens {
  readonly #key: Uint8Array;
  readonly #ttl: Readonly<Record<ChatTokenType, number>>;
  readonly #clock: () => number;

  constructor(options: ChatTokensOptions) {
    if (typeof options?.secret !== 'string' || options.secret.length < MIN_CHAT_TOKEN_SECRET_LENGTH) {
      throw new TypeError(`the chat token secret must be a string of at least ${MIN_CHAT_TOKEN_SECRET_LENGTH} characters`);
    }
    this.#key = new TextEncoder().encode(options.secret);
    this.#ttl = {
      chat: positive(options.chatTtlSeconds ?? CHAT_TOKEN_DEFAULTS.chatTtlSeconds, 'chatTtlSeconds'),
      resume: positive(options.resumeTtlSeconds ?? CHAT_TOKEN_DEFAULTS.resumeTtlSeconds, 'resumeTtlSeconds'),
    };
    this.#clock = options.clock ?? Date.now;
  }

  /** A token of type `typ` for one conversation of one channel. */
  async sign(typ: ChatTokenType, subject: { conversationId: string; channelId: string }): Promise<SignedChatToken> {
    if (!isCanonicalUuid(subject?.conversationId) || !isCanonicalUuid(subject.channelId)) throw new TypeError('conversationId and channelId must be Parley ids');
    const iat = Math.floor(this.#clock() / 1000);
    const exp = iat + this.#ttl[typ];
    const token = await new SignJWT({ typ, conversation_id: subject.conversationId, channel_id: subject.channelId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(subject.conversationId)
      .setJti(randomUUID())
      .setAudience(CHAT_TOKEN_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.#key);
    return { token, expiresAt: exp * 1000 };
  }

  /**
   * The claims of a token of type `expected`.
   * @throws SourcesError SOURCES_TOKEN_INVALID for a malformed, forged, expired (the message says
   *   so), foreign (another key or audience) or other-type token, or claims off their schema.
   */
  async verify(token: string, expected: ChatTokenType): Promise<ChatTokenClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#key, {
        algorithms: ['HS256'],
        audience: CHAT_TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 5,
        currentDate: new Date(this.#clock()),
      }));
    } catch (cause) {
      const expired = cause instanceof joseErrors.JWTExpired;
      throw new SourcesError('SOURCES_TOKEN_INVALID', expired ? `the ${expected} token has expired` : `the ${expected} token is not valid`, { cause });
    }
    const claims = readClaims(payload);
    if (claims === undefined) throw new SourcesError('SOURCES_TOKEN_INVALID', `the ${expected} token is not valid`);
    if (claims.typ !== expected) throw new SourcesError('SOURCES_TOKEN_INVALID', `a ${claims.typ} token was given where a ${expected} token is needed`);
    return claims;
  }

  /**
   * True when `token` carries a valid signature of this key, whatever its claims (expired, other
   * type): it was issued to a visitor. Lets a route that also takes other tokens answer "expired"
   * instead of trying the token as something else.
   */
  async isSignedByThisKey(token: string): Promise<boolean> {
    try {
      await compactVerify(token, this.#key, { algorithms: ['HS256'] });
      return true;
    } catch {
      return false;
    }
  }
}

/** The claims when they have the shape `sign` gives them; undefined otherwise. */
export function readClaims(payload: JWTPayload): ChatTokenClaims | undefined {
  const { typ, conversation_id: conversationId, channel_id: channelId, sub, exp } = payload;
  if (typ !== 'chat' && typ !== 'resume') return undefined;
  if (!isCanonicalUuid(conversationId) || !isCanonicalUuid(channelId) || sub !== conversationId) return undefined;
  if (typeof exp !== 'number' || !Number.isSafeInteger(exp)) return undefined;
  return { typ, conversationId, channelId, expiresAt: exp * 1000 };
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive whole number of seconds`);
  return value;
}
