/**
 * This process's view of the user accounts and login sessions (`auth.users`, `auth.sessions`,
 * compacted JSON records). One consumer in a group of its own follows both topics from their
 * beginning, so every instance sees every change; `start` resolves once it has read up to the
 * ends it saw when starting. Writes are applied here at once as well (read-your-writes), and a
 * record never overwrites a newer one of the same key.
 */
import type { Log, LogConsumer, LogRecord } from '@parley/streams';
import type { Logger } from '../../logger.js';
import { followTopicsFromStart } from '../../log-view-consumer.js';
import { waitForTopics } from '../../webhooks/topics-ready.js';
import { AUTH_NEW_TOPICS, AUTH_TOPICS, type SessionRecord, type UserRecord } from './user-records.js';

interface Versioned<T> {
  value: T;
  offset: number;
}

export class UserDirectory {
  readonly #log: Log;
  readonly #logger: Logger;
  readonly #users = new Map<string, Versioned<UserRecord | null>>();
  readonly #sessions = new Map<string, Versioned<SessionRecord | null>>();
  #consumer: LogConsumer | undefined;

  constructor(options: { log: Log; logger: Logger }) {
    this.#log = options.log;
    this.#logger = options.logger;
  }

  async start(): Promise<void> {
    await this.#log.createTopics([...AUTH_NEW_TOPICS], { ifNotExists: true });
    const topics = AUTH_NEW_TOPICS.map((t) => t.name);
    await waitForTopics(this.#log, topics);
    this.#consumer = await followTopicsFromStart({
      log: this.#log,
      logger: this.#logger,
      topics,
      groupPrefix: 'parley-auth-users',
      failureEvent: 'auth.users.view_failed',
      onBatch: (batch) => {
        for (const record of batch.records) this.#apply(record);
      },
    });
  }

  async stop(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await consumer?.stop();
  }

  user(id: string): UserRecord | undefined {
    return this.#users.get(id)?.value ?? undefined;
  }

  /** The user with this email (compared lowercased). */
  userByEmail(email: string): UserRecord | undefined {
    const wanted = email.toLowerCase();
    return this.users().find((u) => u.email === wanted);
  }

  /** Every user, by email. */
  users(): UserRecord[] {
    const all: UserRecord[] = [];
    for (const { value } of this.#users.values()) if (value !== null) all.push(value);
    return all.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  }

  session(id: string): SessionRecord | undefined {
    return this.#sessions.get(id)?.value ?? undefined;
  }

  /** Whether this view has read the session's end (a tombstone), as opposed to never having seen it. */
  sessionEnded(id: string): boolean {
    const known = this.#sessions.get(id);
    return known !== undefined && known.value === null;
  }

  async putUser(user: UserRecord): Promise<void> {
    const offset = await this.#append(AUTH_TOPICS.users, user.id, user);
    this.#set(this.#users, user.id, user, offset);
  }

  /** Deletes the user and ends every session of theirs. */
  async deleteUser(id: string): Promise<void> {
    const sessions = [...this.#sessions.values()].flatMap(({ value }) => (value !== null && value.user_id === id ? [value.id] : []));
    for (const sid of sessions) await this.endSession(sid);
    const offset = await this.#append(AUTH_TOPICS.users, id, null);
    this.#set(this.#users, id, null, offset);
  }

  async putSession(session: SessionRecord): Promise<void> {
    const offset = await this.#append(AUTH_TOPICS.sessions, session.id, session);
    this.#set(this.#sessions, session.id, session, offset);
  }

  async endSession(id: string): Promise<void> {
    const offset = await this.#append(AUTH_TOPICS.sessions, id, null);
    this.#set(this.#sessions, id, null, offset);
  }

  async #append(topic: string, key: string, value: object | null): Promise<number> {
    const [meta] = await this.#log.append(topic, [{ key: Buffer.from(key), value: value === null ? null : Buffer.from(JSON.stringify(value)) }]);
    return meta!.offset;
  }

  #apply(record: LogRecord): void {
    const key = record.key?.toString('utf8') ?? '';
    try {
      const value: unknown = record.value === null ? null : JSON.parse(record.value.toString('utf8'));
      if (record.topic === AUTH_TOPICS.users) this.#set(this.#users, key, value as UserRecord | null, record.offset);
      else if (record.topic === AUTH_TOPICS.sessions) this.#set(this.#sessions, key, value as SessionRecord | null, record.offset);
    } catch (err) {
      this.#logger.warn('auth.users.skipped', { topic: record.topic, offset: record.offset, err });
    }
  }

  /** Keeps deletions as null entries with their offset, so an older record read later cannot revive them. */
  #set<T>(map: Map<string, Versioned<T | null>>, key: string, value: T | null, offset: number): void {
    const known = map.get(key);
    if (known !== undefined && known.offset > offset) return;
    map.set(key, { value, offset });
  }
}
