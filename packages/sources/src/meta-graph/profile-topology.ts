/**
 * The contact-profile branch the Messenger and Instagram connectors share: each conversation's
 * contact messages and its conversations.refetch requests (contact-refetch.ts), joined with the
 * channel for its token, → the profile fetcher (contact-profiles.ts) → conversation metadata.
 */
import { COMMUNICATION_TOPICS, metadataId, type Channel, type Message } from '@parley/schemas';
import type { GlobalKTable, KStream, StreamsBuilder } from '@parley/streams';
import type { ModelSerdes } from '@parley/communication';
import { contactProfileFetcher, type ProfileReader } from './contact-profiles.js';
import { profileTriggers, type ProfileTriggerNames } from './contact-refetch.js';
import type { MetaConnectorOptions } from './meta-sender.js';

export interface ProfileTopologyNames extends ProfileTriggerNames {
  profilesStore: string;
  fetchProfiles: string;
}

/** What the provider asks Graph for and how it reads the answer. */
export interface ProfileSpec {
  source: string;
  fields: string;
  read: ProfileReader;
}

export function addContactProfiles(
  builder: StreamsBuilder,
  messages: KStream<string, Message>,
  channels: GlobalKTable<string, Channel>,
  names: ProfileTopologyNames,
  spec: ProfileSpec,
  options: MetaConnectorOptions,
  serdes: ModelSerdes,
): void {
  profileTriggers(builder, messages, names, serdes)
    .leftJoin(channels, (_k, t) => t.message.channelId, (t, channel) => ({ ...t, channel }))
    .process(
      contactProfileFetcher({
        ...spec,
        graph: options.graph,
        storeName: names.profilesStore,
        ...(options.resolveChannel === undefined ? {} : { resolveChannel: options.resolveChannel }),
        ...(options.clock === undefined ? {} : { clock: options.clock }),
      }),
      { named: names.fetchProfiles },
    )
    .flatMap((_k, records) => records.map((r) => [metadataId(r.subject, r.key), r] as const))
    .to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata });
}
