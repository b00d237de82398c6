import type { NewTopic } from '@parley/streams';

/** The roles of a user: an admin also manages users (`users.*`). */
export const USER_ROLES = ['admin', 'agent'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A user account as stored (JSON, keyed by id). The hash never leaves the runtime. */
export interface UserRecord {
  id: string;
  /** Lowercased; unique. */
  email: string;
  name: string;
  role: UserRole;
  password_hash: string;
  /** Milliseconds since the epoch. */
  created_at: number;
  updated_at: number;
}

/** A login session as stored (JSON, keyed by id); a tombstone ends it (logout, user deleted). */
export interface SessionRecord {
  id: string;
  user_id: string;
  /** Milliseconds since the epoch. */
  expires_at: number;
}

/**
 * The accounts' topics: apart from the model's `application.communication.users` (who used the
 * API, for display), since these hold password hashes and only the runtime reads them.
 */
export const AUTH_TOPICS = Object.freeze({
  users: 'auth.users',
  sessions: 'auth.sessions',
});

/** Topics that hold credentials: only the system token may read them through `topics.read`. */
export function isCredentialTopic(name: string): boolean {
  return Object.values(AUTH_TOPICS).includes(name as never);
}

export const AUTH_NEW_TOPICS: readonly NewTopic[] = [
  { name: AUTH_TOPICS.users, partitions: 1, config: { cleanupPolicy: 'compact' } },
  { name: AUTH_TOPICS.sessions, partitions: 1, config: { cleanupPolicy: 'compact' } },
];

/** A user as the API shows it: everything but the hash. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  created_at: number;
  updated_at: number;
}

export function userView(user: UserRecord): UserView {
  return { id: user.id, email: user.email, name: user.name, role: user.role, created_at: user.created_at, updated_at: user.updated_at };
}
