import type { JWTPayload } from 'jose';

/** Who made a request. */
export type Principal =
  /** Holder of the system token: full access. */
  | { kind: 'system'; id: 'system' }
  /** Bearer of a valid JWT; `id` is its `sub` claim. */
  | { kind: 'user'; id: string; claims: JWTPayload }
  /** Anyone, when auth is disabled by configuration. */
  | { kind: 'anonymous'; id: 'anonymous' }
  /**
   * Bearer of a token a route's own authenticator accepted (a custom source's token, a chat
   * plugin visitor's token): `scheme` names that authenticator, `id` whom the token speaks for,
   * `attributes` what else it proved (a chat token's conversation and channel).
   */
  | { kind: 'scoped'; scheme: string; id: string; attributes: Readonly<Record<string, string>> };
