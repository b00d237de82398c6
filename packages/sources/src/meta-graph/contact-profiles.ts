/**
 * Contact profiles of the Meta providers, fetched once per conversation: the first contact
 * message of a conversation the connector sees → `GET /<version>/<contact id>?fields=<fields>`
 * with the channel's token → conversation metadata `contact.display_name`, `contact.avatar_url`
 * and `contact.fetch_state` (`ok` when Graph gave a name or picture, else `failed`). Messenger
 * asks `first_name,last_name,profile_pic`, Instagram `name,username,profile_pic`. A store keyed
 * by conversation id remembers the fetch, so later messages (and a restart, through its changelog)
 * do not fetch again. Graph failures (no permission, rate limit after retries) end in `failed`:
 * the conversation keeps its default name. A request with `force` (conversations.refetch, see
 * contact-refetch.ts) fetches again whatever the store remembers.
 */
import { CONVERSATION_METADATA_KEYS, metadataRecord, metadataSubject, type Channel, type Message, type Metadata } from '@parley/schemas';
import { keyValueStoreBuilder, Serdes, type Processor, type ProcessorContext, type ProcessorSupplier, type StreamRecord, type TypedKeyValueStore } from '@parley/streams';
import { GraphError, type GraphClient } from './graph-client.js';

/** A contact message with its channel (for the page token). */
export interface ProfileRequest {
  message: Message;
  channel: Channel | null;
  /** Fetch even when the conversation's profile was fetched before. */
  force?: boolean;
}

/** A profile as Graph answers it → display name and picture URL (empty strings when absent). */
export type ProfileReader = (answer: Record<string, unknown>) => { name: string; picture: string };

export interface ProfileFetcherOptions {
  /** The channels' source (`facebook`, `instagram`): other channels are skipped. */
  source: string;
  /** The `fields` query parameter. */
  fields: string;
  read: ProfileReader;
  graph: GraphClient;
  storeName: string;
  /** Finds a channel the global channels table does not hold yet (connected moments ago). */
  resolveChannel?: (channelId: string) => Promise<Channel | undefined>;
  clock?: () => number;
}

/** The processor (and its store) that fetches profiles; outputs the metadata records to write. */
export function contactProfileFetcher(options: ProfileFetcherOptions): ProcessorSupplier<string, ProfileRequest, string, Metadata[]> {
  return {
    get: () => new ProfileProcessor(options),
    stores: () => [keyValueStoreBuilder({ name: options.storeName, keySerde: Serdes.string(), valueSerde: Serdes.string() })],
  };
}

class ProfileProcessor implements Processor<string, ProfileRequest, string, Metadata[]> {
  readonly #options: ProfileFetcherOptions;
  #context!: ProcessorContext<string, Metadata[]>;
  #fetched!: TypedKeyValueStore<string, string>;

  constructor(options: ProfileFetcherOptions) {
    this.#options = options;
  }

  init(context: ProcessorContext<string, Metadata[]>): void {
    this.#context = context;
    this.#fetched = context.getStateStore<TypedKeyValueStore<string, string>>(this.#options.storeName);
  }

  async process(record: StreamRecord<string, ProfileRequest>): Promise<void> {
    const { message } = record.value;
    const channel = record.value.channel ?? (await this.#options.resolveChannel?.(message.channelId)) ?? null;
    if (channel === null || channel.source !== this.#options.source || channel.connectionState !== 'CONNECTED' || channel.token === null) return;
    if (record.value.force !== true && this.#fetched.get(message.conversationId) !== undefined) return;
    const document = await this.#profile(message.senderId, channel.token);
    const state = Object.keys(document).length > 0 ? 'ok' : 'failed';
    this.#fetched.put(message.conversationId, state);
    const now = this.#options.clock?.() ?? this.#context.currentSystemTimeMs();
    const subject = metadataSubject('conversation', message.conversationId);
    const records = [...Object.entries(document), [CONVERSATION_METADATA_KEYS.contactFetchState, state] as const].map(([key, value]) => metadataRecord({ subject, key, value, timestamp: now }));
    this.#context.forward({ ...record, key: message.conversationId, value: records, timestamp: Math.max(record.timestamp, now) });
  }

  /** The profile as metadata keys → values; empty when Graph gave nothing usable. */
  async #profile(contactId: string, token: string): Promise<Record<string, string>> {
    try {
      const answer = await this.#options.graph.call({ method: 'GET', path: `/${encodeURIComponent(contactId)}`, token, query: { fields: this.#options.fields } });
      const { name, picture } = this.#options.read(typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {});
      return {
        ...(name === '' ? {} : { [CONVERSATION_METADATA_KEYS.contactDisplayName]: name }),
        ...(/^https?:\/\//.test(picture) ? { [CONVERSATION_METADATA_KEYS.contactAvatarUrl]: picture } : {}),
      };
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      return {};
    }
  }
}

/** A string field of a Graph answer, trimmed; '' when absent or not a string. */
export function textField(answer: Record<string, unknown>, name: string): string {
  const value = answer[name];
  return typeof value === 'string' ? value.trim() : '';
}
