/**
 * The chat plugin's operations over a Log, framework-free: channel management
 * (`channels.chatplugin.*`), the visitor's token flows (`chatplugin.authenticate`,
 * `.resume-token`) and sends (`chatplugin.send`). Channel lookups read the compacted channels
 * topic through a SourceCatalog: management calls read the log first; visitor calls accept a
 * view at most `channelMaxStalenessMs` old and read the log again before refusing, so a channel
 * connected a moment ago is found, and one disconnected by another process is refused within
 * that bound (by this process: at once). Reading the history is the read model's business (the
 * runtime's), not this class's.
 */
import { randomUUID } from 'node:crypto';
import { CHANNEL_METADATA_KEYS, COMMUNICATION_TOPICS, channelId as deriveChannelId, metadataId, metadataRecords, metadataSubject, type Channel, type JsonObject, type Message } from '@parley/schemas';
import { AppendBatcher, type Log, type ProducerRecord, type RecordMetadata } from '@parley/streams';
import { SourcesError } from '../errors.js';
import { modelSerdes, type ModelSerdes } from '@parley/communication';
import { SourceCatalog } from '../source-catalog.js';
import { ChatTokens, type ChatTokenClaims, type ChatTokensOptions, type SignedChatToken } from './chat-token.js';
import { CHATPLUGIN_EVENTS_TOPIC, CHATPLUGIN_SOURCE, chatPluginTopics } from './chatplugin-topics.js';
import { chatMessageId, DEFAULT_MAX_CONTENT_BYTES, parseChatContent, toContactMessage, type ChatEvent } from './mapping.js';

export interface ChatPluginServiceOptions extends ChatTokensOptions {
  log: Log;
  serdes?: ModelSerdes;
  /** Largest message content, in bytes of JSON. Default 16 KiB. */
  maxContentBytes?: number;
  /** Partitions of the topics `ensureTopics` creates. Default 1. */
  partitions?: number;
  /** New conversation and message ids. Default crypto.randomUUID. */
  newId?: () => string;
  /** How old a channel view visitor calls may use, in ms. Default 1000 (0: read the log on every call). */
  channelMaxStalenessMs?: number;
}

/** A write and the log offsets it got (for the runtime's read-your-writes wait). */
export interface ChatWrite<T> {
  value: T;
  offsets: RecordMetadata[];
}

/** What authenticate and resume hand the visitor. */
export interface ChatSession {
  conversationId: string;
  channelId: string;
  /** The chat token and when it expires. */
  chat: SignedChatToken;
  /** True for a resumed conversation. */
  resumed: boolean;
}

export class ChatPluginService {
  readonly catalog: SourceCatalog;
  readonly tokens: ChatTokens;
  readonly #log: Log;
  /** Every write goes through it: concurrent visitor sends share one log append, like custom sources' ingestion. */
  readonly #batcher: AppendBatcher;
  readonly #serdes: ModelSerdes;
  readonly #clock: () => number;
  readonly #newId: () => string;
  readonly #maxContentBytes: number;
  readonly #partitions: number;
  readonly #channelMaxStalenessMs: number;

  constructor(options: ChatPluginServiceOptions) {
    this.#log = options.log;
    this.#batcher = new AppendBatcher(options.log);
    this.#serdes = options.serdes ?? modelSerdes();
    this.#clock = options.clock ?? Date.now;
    this.#newId = options.newId ?? randomUUID;
    this.#maxContentBytes = options.maxContentBytes ?? DEFAULT_MAX_CONTENT_BYTES;
    this.#partitions = options.partitions ?? 1;
    this.#channelMaxStalenessMs = options.channelMaxStalenessMs ?? 1000;
    this.tokens = new ChatTokens(options);
    this.catalog = new SourceCatalog(this.#log, this.#serdes, this.#clock);
  }

  /** Creates the topics the chat plugin uses, where missing. */
  async ensureTopics(): Promise<void> {
    await this.#log.createTopics(chatPluginTopics(this.#partitions), { ifNotExists: true });
  }

  // Channels

  /**
   * Connects a new chat plugin channel: its `sourceChannelId` is a random UUID (the widget has no
   * account at a provider) and its id `channelId('chatplugin', sourceChannelId)`, derived like
   * every channel's. Metadata `name` (required) and `image_url`.
   */
  async connectChannel(options: { name: string; imageUrl?: string }): Promise<ChatWrite<Channel>> {
    if (typeof options?.name !== 'string' || options.name.length === 0) throw new TypeError('a chat plugin channel needs a name');
    const sourceChannelId = this.#newId();
    const channel: Channel = { id: deriveChannelId(CHATPLUGIN_SOURCE, sourceChannelId), source: CHATPLUGIN_SOURCE, sourceChannelId, token: null, connectionState: 'CONNECTED' };
    const offsets = await this.#writeChannelMetadata(channel.id, { name: options.name, imageUrl: options.imageUrl });
    offsets.push(...(await this.#append(COMMUNICATION_TOPICS.channels.name, [this.#channelRecord(channel)])));
    await this.catalog.refresh();
    return { value: channel, offsets };
  }

  /** Sets a chat plugin channel's name and picture (connected or not). SOURCES_CHANNEL_NOT_FOUND. */
  async updateChannel(options: { channelId: string; name?: string; imageUrl?: string }): Promise<ChatWrite<Channel>> {
    const channel = await this.requireChannel(options.channelId, { connected: false });
    const offsets = await this.#writeChannelMetadata(channel.id, { name: options.name, imageUrl: options.imageUrl });
    return { value: channel, offsets };
  }

  /**
   * Disconnects a chat plugin channel (idempotent): its visitors can no longer authenticate,
   * send or listen, and the router dead-letters what was still on its way. SOURCES_CHANNEL_NOT_FOUND.
   */
  async disconnectChannel(channelId: string): Promise<ChatWrite<Channel>> {
    const current = await this.requireChannel(channelId, { connected: false });
    if (current.connectionState === 'DISCONNECTED') return { value: current, offsets: [] };
    const next: Channel = { ...current, token: null, connectionState: 'DISCONNECTED' };
    const offsets = await this.#append(COMMUNICATION_TOPICS.channels.name, [this.#channelRecord(next)]);
    await this.catalog.refresh();
    return { value: next, offsets };
  }

  /**
   * A chat plugin channel, by default only a connected one, read from the log (or, with
   * `maxStalenessMs`, from a view at most that old, read again before refusing).
   * SOURCES_CHANNEL_NOT_FOUND for an unknown id, another source's channel, or (with `connected`)
   * a disconnected channel.
   */
  async requireChannel(channelId: string, options: { connected?: boolean; maxStalenessMs?: number } = {}): Promise<Channel> {
    const connected = options.connected ?? true;
    const usable = (c: Channel | undefined): boolean => c !== undefined && c.source === CHATPLUGIN_SOURCE && (!connected || c.connectionState === 'CONNECTED');
    if (options.maxStalenessMs !== undefined && options.maxStalenessMs > 0) {
      await this.catalog.refreshIfOlderThan(options.maxStalenessMs);
      const cached = this.catalog.channel(channelId);
      if (usable(cached)) return cached!;
    }
    await this.catalog.refresh();
    const channel = this.catalog.channel(channelId);
    if (usable(channel)) return channel!;
    const why = channel === undefined || channel.source !== CHATPLUGIN_SOURCE ? `there is no chat plugin channel ${channelId}` : `chat plugin channel ${channelId} is disconnected`;
    throw new SourcesError('SOURCES_CHANNEL_NOT_FOUND', why, { field: 'channel_id' });
  }

  /** `requireChannel` for visitor calls: a connected channel, from a view at most `channelMaxStalenessMs` old. */
  #visitorChannel(channelId: string): Promise<Channel> {
    return this.requireChannel(channelId, { maxStalenessMs: this.#channelMaxStalenessMs });
  }

  // Visitor sessions

  /** A new conversation (random id) on a connected channel, and its chat token. */
  async startConversation(channelId: string): Promise<ChatSession> {
    const channel = await this.#visitorChannel(channelId);
    const conversationId = this.#newId();
    return { conversationId, channelId: channel.id, chat: await this.tokens.sign('chat', { conversationId, channelId: channel.id }), resumed: false };
  }

  /** The conversation a resume token names (its channel still connected), with a new chat token. */
  async resumeConversation(resumeToken: string): Promise<ChatSession> {
    const claims = await this.tokens.verify(resumeToken, 'resume');
    await this.#visitorChannel(claims.channelId);
    const subject = { conversationId: claims.conversationId, channelId: claims.channelId };
    return { ...subject, chat: await this.tokens.sign('chat', subject), resumed: true };
  }

  /**
   * The claims of a chat token whose channel is still connected (SOURCES_TOKEN_INVALID,
   * SOURCES_CHANNEL_NOT_FOUND).
   */
  async verifyChatToken(token: string): Promise<ChatTokenClaims> {
    const claims = await this.tokens.verify(token, 'chat');
    await this.#visitorChannel(claims.channelId);
    return claims;
  }

  /** A resume token for a conversation of a connected chat plugin channel. */
  async issueResumeToken(subject: { conversationId: string; channelId: string }): Promise<SignedChatToken> {
    await this.#visitorChannel(subject.channelId);
    return this.tokens.sign('resume', subject);
  }

  // Sends

  /**
   * Appends a visitor message of the conversation `claims` names to `source.chatplugin.events`
   * and resolves once the log accepted it, with the Message the router will write (DELIVERED,
   * from the contact). With `clientMessageId` the message id is derived from it, so a retried
   * send maps to the same message (the router keeps the first). SOURCES_INVALID_PAYLOAD (field
   * `message`), SOURCES_CHANNEL_NOT_FOUND, SOURCES_LOG_UNAVAILABLE (retriable).
   */
  async send(claims: Pick<ChatTokenClaims, 'conversationId' | 'channelId'>, options: { content: unknown; clientMessageId?: string | null }): Promise<ChatWrite<Message>> {
    const content = parseChatContent(options.content, this.#maxContentBytes);
    await this.#visitorChannel(claims.channelId);
    const clientMessageId = options.clientMessageId ?? null;
    const event: ChatEvent = {
      type: 'message',
      message_id: chatMessageId(claims.conversationId, clientMessageId, this.#newId),
      conversation_id: claims.conversationId,
      channel_id: claims.channelId,
      client_message_id: clientMessageId,
      content,
      sent_at: this.#clock(),
    };
    const offsets = await this.#append(CHATPLUGIN_EVENTS_TOPIC, [{ key: Buffer.from(event.conversation_id), value: Buffer.from(JSON.stringify(event)), timestamp: event.sent_at }]);
    return { value: toContactMessage(event), offsets };
  }

  async #writeChannelMetadata(channelId: string, fields: { name?: string | undefined; imageUrl?: string | undefined }): Promise<RecordMetadata[]> {
    const document: JsonObject = {};
    if (fields.name !== undefined) document[CHANNEL_METADATA_KEYS.name] = fields.name;
    if (fields.imageUrl !== undefined) document[CHANNEL_METADATA_KEYS.imageUrl] = fields.imageUrl;
    const subject = metadataSubject('channel', channelId);
    const records = metadataRecords({ subject, document, timestamp: this.#clock() });
    if (records.length === 0) return [];
    return this.#append(
      COMMUNICATION_TOPICS.metadata.name,
      records.map((r) => ({ key: Buffer.from(metadataId(r.subject, r.key)), value: this.#serdes.metadata.serialize(r), timestamp: r.timestamp })),
    );
  }

  #channelRecord(channel: Channel): ProducerRecord {
    return { key: Buffer.from(channel.id), value: this.#serdes.channel.serialize(channel), timestamp: this.#clock() };
  }

  async #append(topic: string, records: ProducerRecord[]): Promise<RecordMetadata[]> {
    try {
      return await this.#batcher.append(topic, records);
    } catch (cause) {
      throw new SourcesError('SOURCES_LOG_UNAVAILABLE', `the log did not accept the write to ${topic}; send it again`, { cause, retriable: true });
    }
  }
}
