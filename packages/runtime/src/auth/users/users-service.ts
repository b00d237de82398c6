/**
 * The user accounts and their login sessions: create, update, delete (users.*), log in and out
 * (auth.*), the check of session tokens the authenticator runs, and the one-time setup token that
 * lets the first admin be created through `/ui/setup?token=…` while no user exists.
 */
import { randomBytes, randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import type { Log } from '@parley/streams';
import { RuntimeError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Principal } from '../principal.js';
import { hashPassword, verifyPassword } from '../password-hash.js';
import { UserDirectory } from './user-directory.js';
import type { SessionRecord, UserRecord, UserRole } from './user-records.js';

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  password: string;
}

export interface UserChanges {
  email?: string;
  name?: string;
  role?: UserRole;
  password?: string;
}

/** What a successful login made: the session and the user it belongs to. */
export interface Login {
  user: UserRecord;
  session: SessionRecord;
}

const LOGIN_FAILED = 'the email or the password is wrong';
/** How long a session token is accepted by an instance whose view has not read its session yet (views lag by milliseconds). */
const UNSEEN_SESSION_GRACE_S = 30;

export class UsersService {
  readonly directory: UserDirectory;
  readonly #sessionTtlMs: number;
  #dummyHash = '';
  #setupToken: string | undefined;

  constructor(options: { log: Log; logger: Logger; sessionTtlSeconds: number }) {
    this.directory = new UserDirectory(options);
    this.#sessionTtlMs = options.sessionTtlSeconds * 1000;
  }

  async start(): Promise<void> {
    await this.directory.start();
    // Verified against when the email is unknown, so both failures take the same path and time.
    this.#dummyHash = await hashPassword(randomBytes(16).toString('base64url'));
    if (this.directory.users().length === 0) this.#setupToken = randomBytes(24).toString('base64url');
  }

  async stop(): Promise<void> {
    await this.directory.stop();
  }

  /** The one-time token of `/ui/setup?token=…` while no user exists; undefined once one does. */
  get setupToken(): string | undefined {
    if (this.#setupToken !== undefined && this.directory.users().length > 0) this.#setupToken = undefined;
    return this.#setupToken;
  }

  /** RUNTIME_FORBIDDEN unless the caller is the system (or auth is off) or an admin user. */
  requireAdmin(principal: Principal, action: string): void {
    if (principal.kind === 'system' || principal.kind === 'anonymous') return;
    if (principal.kind === 'user' && this.directory.user(principal.id)?.role === 'admin') return;
    throw new RuntimeError('RUNTIME_FORBIDDEN', `${action} needs the system token or an admin user`);
  }

  async create(input: NewUser): Promise<UserRecord> {
    const email = input.email.toLowerCase();
    if (this.directory.userByEmail(email) !== undefined) throw new RuntimeError('RUNTIME_STATE', `a user with the email ${email} exists`, { field: 'email' });
    const now = Date.now();
    const user: UserRecord = { id: randomUUID(), email, name: input.name, role: input.role, password_hash: await hashPassword(input.password), created_at: now, updated_at: now };
    await this.directory.putUser(user);
    return user;
  }

  async update(id: string, changes: UserChanges): Promise<UserRecord> {
    const user = this.#existing(id);
    const email = changes.email?.toLowerCase();
    if (email !== undefined && email !== user.email && this.directory.userByEmail(email) !== undefined) throw new RuntimeError('RUNTIME_STATE', `a user with the email ${email} exists`, { field: 'email' });
    if (changes.role !== undefined && changes.role !== 'admin' && user.role === 'admin') this.#assertNotLastAdmin(user.id, 'demote');
    const updated: UserRecord = {
      ...user,
      ...(email === undefined ? {} : { email }),
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.role === undefined ? {} : { role: changes.role }),
      ...(changes.password === undefined ? {} : { password_hash: await hashPassword(changes.password) }),
      updated_at: Date.now(),
    };
    await this.directory.putUser(updated);
    return updated;
  }

  async delete(id: string): Promise<void> {
    const user = this.#existing(id);
    if (user.role === 'admin') this.#assertNotLastAdmin(id, 'delete');
    await this.directory.deleteUser(id);
  }

  /** A new session for the account with this email and password; RUNTIME_LOGIN_FAILED, the same for an unknown email and a wrong password. */
  async login(email: string, password: string): Promise<Login> {
    const user = this.directory.userByEmail(email);
    const matches = await verifyPassword(password, user?.password_hash ?? this.#dummyHash);
    if (!matches || user === undefined) throw new RuntimeError('RUNTIME_LOGIN_FAILED', LOGIN_FAILED);
    const session: SessionRecord = { id: randomUUID(), user_id: user.id, expires_at: Date.now() + this.#sessionTtlMs };
    await this.directory.putSession(session);
    return { user, session };
  }

  /** Creates the first admin with the one-time setup token and logs them in; RUNTIME_LOGIN_FAILED for another token or once a user exists. */
  async setup(token: string, input: Omit<NewUser, 'role'>): Promise<Login> {
    const expected = this.setupToken;
    if (expected === undefined || !sameSecret(token, expected)) throw new RuntimeError('RUNTIME_LOGIN_FAILED', 'the setup token is not valid (it works once, while no user exists)');
    this.#setupToken = undefined;
    await this.create({ ...input, role: 'admin' });
    return this.login(input.email, input.password);
  }

  async logout(sid: string): Promise<void> {
    if (this.directory.session(sid) !== undefined) await this.directory.endSession(sid);
  }

  /**
   * The authenticator's check of a session token: RUNTIME_SESSION_EXPIRED unless the session and
   * its user still exist. A session this instance has not read yet (made on another instance a
   * moment ago) is accepted while its token is younger than UNSEEN_SESSION_GRACE_S; an ended one never.
   */
  checkSession(sid: string, userId: string, issuedAt: number | undefined): void {
    const session = this.directory.session(sid);
    if (session === undefined && !this.directory.sessionEnded(sid) && issuedAt !== undefined && Date.now() / 1000 - issuedAt <= UNSEEN_SESSION_GRACE_S) return;
    if (session === undefined || session.user_id !== userId || this.directory.user(userId) === undefined) {
      throw new RuntimeError('RUNTIME_SESSION_EXPIRED', 'the login session has ended: log in again');
    }
    if (session.expires_at <= Date.now()) throw new RuntimeError('RUNTIME_SESSION_EXPIRED', 'the login session has expired: log in again');
  }

  #existing(id: string): UserRecord {
    const user = this.directory.user(id);
    if (user === undefined) throw new RuntimeError('RUNTIME_NOT_FOUND', `no user ${id}`, { field: 'id' });
    return user;
  }

  #assertNotLastAdmin(id: string, action: string): void {
    if (!this.directory.users().some((u) => u.role === 'admin' && u.id !== id)) throw new RuntimeError('RUNTIME_STATE', `cannot ${action} the last admin`, { field: 'id' });
  }
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
