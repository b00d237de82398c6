/**
 * Managing custom sources and their channels over a Log (the Source API's `sources.*` and
 * `sources.channels.*`), framework-free. Every change is one append to a compacted model topic;
 * reads come from a SourceCatalog refreshed after each write, so a caller reads its own writes.
 * Changes are serialised within one process, so two creates of one id cannot both pass the
 * existence check here (across processes sharing a Kafka cluster they still could: see README).
 */
import {
  CHANNEL_METADATA_KEYS,
  COMMUNICATION_TOPICS,
  channelId as deriveChannelId,
  metadataId,
  metadataRecords,
  metadataSubject,
  type Channel,
  type JsonObject,
  type Source,
  type SourceIdScheme,
} from '@parley/schemas';
import type { Log, ProducerRecord } from '@parley/streams';
import { SourcesError } from '../errors.js';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { customSourceTopics } from './custom-topics.js';
import { SourceCatalog } from '../source-catalog.js';
import { assertNewSourceId } from './source-id.js';
import { generateSourceToken, hashSourceToken, signingSecretOf, sourceIdOfToken, sourceTokenMatches } from './source-token.js';

/** A source as the API shows it: never its token. */
export interface SourceView {
  id: string;
  name: string | null;
  imageUrl: string | null;
  actionEndpoint: string | null;
  /** How its conversation and message ids are derived (custom-ids.ts). */
  idScheme: SourceIdScheme;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

export interface CreateSourceOptions {
  id: string;
  name?: string | null;
  imageUrl?: string | null;
  /** http(s) URL outbound messages are POSTed to; null: the source only receives. */
  actionEndpoint?: string | null;
  /** Default PARLEY (ids scoped by channel); AIRY keeps Airy Core's ids (custom-ids.ts). Fixed for the source's life. */
  idScheme?: SourceIdScheme;
}

/** What `create` returns: the only time the token and the signing secret are shown. */
export interface CreatedSource {
  source: SourceView;
  /** `Authorization: Bearer <token>` for `sources.webhook`. */
  token: string;
  /** `whsec_…`: verifies the Standard Webhooks signature of requests to the action endpoint. */
  signingSecret: string;
}

/** Fields to change; undefined keeps a field, null clears it. */
export interface UpdateSourceOptions {
  id: string;
  name?: string | null;
  imageUrl?: string | null;
  actionEndpoint?: string | null;
}

export interface CreateChannelOptions {
  sourceId: string;
  /** The channel's id at the source. */
  sourceChannelId: string;
  name?: string | null;
  imageUrl?: string | null;
  /** Further channel metadata (nested; no secrets). */
  metadata?: JsonObject;
}

export interface CustomSourceManagerOptions {
  log: Log;
  serdes?: ModelSerdes;
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
  /** Partitions of the topics `ensureTopics` creates. Default 1. */
  partitions?: number;
  /**
   * How old the catalog may be when `authenticate` accepts a known token without re-reading the
   * log, in ms. Default 1000: a token revoked by another process stops working within a second,
   * and ingestion does not pay a log round trip (a Kafka request) per request. Changes made
   * through this manager are seen at once.
   */
  authMaxStalenessMs?: number;
}

export class CustomSourceManager {
  readonly catalog: SourceCatalog;
  readonly #log: Log;
  readonly #serdes: ModelSerdes;
  readonly #clock: () => number;
  readonly #partitions: number;
  readonly #authMaxStalenessMs: number;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: CustomSourceManagerOptions) {
    this.#log = options.log;
    this.#serdes = options.serdes ?? modelSerdes();
    this.#clock = options.clock ?? Date.now;
    this.#partitions = options.partitions ?? 1;
    this.#authMaxStalenessMs = options.authMaxStalenessMs ?? 1000;
    this.catalog = new SourceCatalog(this.#log, this.#serdes, this.#clock);
  }

  /** Creates the topics custom sources use, where missing. */
  async ensureTopics(): Promise<void> {
    await this.#log.createTopics(customSourceTopics(this.#partitions), { ifNotExists: true });
  }

  /** Registers a source. SOURCES_SOURCE_ID_INVALID, SOURCES_SOURCE_EXISTS. */
  create(options: CreateSourceOptions): Promise<CreatedSource> {
    return this.#serialised(async () => {
      await this.catalog.refresh();
      if (this.catalog.source(options.id) !== undefined) throw new SourcesError('SOURCES_SOURCE_EXISTS', `source ${options.id} already exists`, { field: 'id' });
      assertNewSourceId(options.id, this.catalog.sources().map((s) => s.id));
      const token = generateSourceToken(options.id);
      const source: Source = {
        id: options.id,
        token: hashSourceToken(token),
        name: options.name ?? null,
        imageUrl: options.imageUrl ?? null,
        actionEndpoint: checkEndpoint(options.actionEndpoint ?? null),
        idScheme: options.idScheme ?? 'PARLEY',
        createdAt: this.#clock(),
      };
      await this.#append(COMMUNICATION_TOPICS.sources.name, [{ key: Buffer.from(source.id), value: this.#serdes.source.serialize(source) }]);
      await this.catalog.refresh();
      return { source: view(source), token, signingSecret: signingSecretOf(source.token) };
    });
  }

  /** Every registered source. */
  async list(): Promise<SourceView[]> {
    await this.catalog.refresh();
    return this.catalog.sources().map(view);
  }

  /** Changes a source's display fields or action endpoint. SOURCES_SOURCE_NOT_FOUND. */
  update(options: UpdateSourceOptions): Promise<SourceView> {
    return this.#serialised(async () => {
      const current = await this.#requireSource(options.id);
      const next: Source = {
        ...current,
        name: options.name === undefined ? current.name : options.name,
        imageUrl: options.imageUrl === undefined ? current.imageUrl : options.imageUrl,
        actionEndpoint: options.actionEndpoint === undefined ? current.actionEndpoint : checkEndpoint(options.actionEndpoint),
      };
      await this.#append(COMMUNICATION_TOPICS.sources.name, [{ key: Buffer.from(next.id), value: this.#serdes.source.serialize(next) }]);
      await this.catalog.refresh();
      return view(next);
    });
  }

  /**
   * Deletes a source: its connected channels are disconnected first (their history stays), then
   * the source record is deleted (a tombstone), which invalidates its token. SOURCES_SOURCE_NOT_FOUND.
   */
  delete(id: string): Promise<void> {
    return this.#serialised(async () => {
      await this.#requireSource(id);
      const disconnected = this.catalog.channelsOf(id).filter((c) => c.connectionState === 'CONNECTED').map((c) => this.#channelRecord({ ...c, token: null, connectionState: 'DISCONNECTED' }));
      if (disconnected.length > 0) await this.#append(COMMUNICATION_TOPICS.channels.name, disconnected);
      await this.#append(COMMUNICATION_TOPICS.sources.name, [{ key: Buffer.from(id), value: null }]);
      await this.catalog.refresh();
    });
  }

  /**
   * Connects a channel of a source: a CONNECTED Channel `channelId(sourceId, sourceChannelId)`
   * and its metadata (`name`, `image_url`, the rest). Connecting again reconnects the same channel.
   * SOURCES_SOURCE_NOT_FOUND.
   */
  createChannel(options: CreateChannelOptions): Promise<Channel> {
    return this.#serialised(async () => {
      await this.#requireSource(options.sourceId);
      if (typeof options.sourceChannelId !== 'string' || options.sourceChannelId.length === 0) throw new TypeError('sourceChannelId must be a non-empty string');
      const channel: Channel = {
        id: deriveChannelId(options.sourceId, options.sourceChannelId),
        source: options.sourceId,
        sourceChannelId: options.sourceChannelId,
        token: null,
        connectionState: 'CONNECTED',
      };
      const document: JsonObject = { ...options.metadata };
      if (options.name != null) document[CHANNEL_METADATA_KEYS.name] = options.name;
      if (options.imageUrl != null) document[CHANNEL_METADATA_KEYS.imageUrl] = options.imageUrl;
      const records = metadataRecords({ subject: metadataSubject('channel', channel.id), document, timestamp: this.#clock() });
      if (records.length > 0) {
        await this.#append(
          COMMUNICATION_TOPICS.metadata.name,
          records.map((r) => ({ key: Buffer.from(metadataId(r.subject, r.key)), value: this.#serdes.metadata.serialize(r), timestamp: r.timestamp })),
        );
      }
      await this.#append(COMMUNICATION_TOPICS.channels.name, [this.#channelRecord(channel)]);
      await this.catalog.refresh();
      return channel;
    });
  }

  /**
   * Disconnects a channel of a source (idempotent: an already disconnected channel stays so).
   * SOURCES_SOURCE_NOT_FOUND, SOURCES_CHANNEL_NOT_FOUND (also for another source's channel).
   */
  disconnectChannel(options: { sourceId: string; channelId: string }): Promise<Channel> {
    return this.#serialised(async () => {
      await this.#requireSource(options.sourceId);
      const current = this.catalog.channel(options.channelId);
      if (current === undefined || current.source !== options.sourceId) {
        throw new SourcesError('SOURCES_CHANNEL_NOT_FOUND', `source ${options.sourceId} has no channel ${options.channelId}`, { field: 'channel_id' });
      }
      if (current.connectionState === 'DISCONNECTED') return current;
      const next: Channel = { ...current, token: null, connectionState: 'DISCONNECTED' };
      await this.#append(COMMUNICATION_TOPICS.channels.name, [this.#channelRecord(next)]);
      await this.catalog.refresh();
      return next;
    });
  }

  /**
   * The source a `sources.webhook` token belongs to. The token names its source; its hash is
   * compared with the stored one in constant time. SOURCES_TOKEN_MISSING (401) without a
   * token; SOURCES_TOKEN_INVALID (403) for a malformed, unknown or wrong one (one code: the answer
   * does not tell which). The one source-token check of both ingestion paths.
   */
  async authenticate(token: string | undefined): Promise<Source> {
    if (token === undefined) throw new SourcesError('SOURCES_TOKEN_MISSING', 'the request has no "Authorization: Bearer <source token>" header');
    const sourceId = token === undefined ? undefined : sourceIdOfToken(token);
    if (sourceId !== undefined) {
      const matches = (): Source | undefined => {
        const source = this.catalog.source(sourceId);
        return source !== undefined && sourceTokenMatches(token!, source.token) ? source : undefined;
      };
      await this.catalog.refreshIfOlderThan(this.#authMaxStalenessMs);
      // A miss may be a source created since the last read: read the log before refusing.
      const source = matches() ?? (await this.catalog.refresh(), matches());
      if (source !== undefined) return source;
    }
    throw new SourcesError('SOURCES_TOKEN_INVALID', 'the source token is not valid');
  }

  async #requireSource(id: string): Promise<Source> {
    await this.catalog.refresh();
    const source = this.catalog.source(id);
    if (source === undefined) throw new SourcesError('SOURCES_SOURCE_NOT_FOUND', `there is no source ${id}`, { field: 'id' });
    return source;
  }

  #channelRecord(channel: Channel): ProducerRecord {
    return { key: Buffer.from(channel.id), value: this.#serdes.channel.serialize(channel) };
  }

  async #append(topic: string, records: ProducerRecord[]): Promise<void> {
    try {
      await this.#log.append(topic, records);
    } catch (cause) {
      throw new SourcesError('SOURCES_LOG_UNAVAILABLE', `the log did not accept the write to ${topic}`, { cause, retriable: true });
    }
  }

  #serialised<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function view(source: Source): SourceView {
  return { id: source.id, name: source.name, imageUrl: source.imageUrl, actionEndpoint: source.actionEndpoint, idScheme: source.idScheme, createdAt: source.createdAt };
}

function checkEndpoint(endpoint: string | null): string | null {
  if (endpoint === null) return null;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SourcesError('SOURCES_INVALID_PAYLOAD', `the action endpoint must be an http(s) URL, got ${JSON.stringify(endpoint)}`, { field: 'action_endpoint' });
  }
  return endpoint;
}
