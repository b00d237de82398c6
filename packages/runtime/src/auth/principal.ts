import type { JWTPayload } from 'jose';

/** Who made a request. */
export type Principal =
  /** Holder of the system token: full access. */
  | { kind: 'system'; id: 'system' }
  /** Bearer of a valid JWT; `id` is its `sub` claim. */
  | { kind: 'user'; id: string; claims: JWTPayload }
  /** Anyone, when auth is disabled by configuration. */
  | { kind: 'anonymous'; id: 'anonymous' };
