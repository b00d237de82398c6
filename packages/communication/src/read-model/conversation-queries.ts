import { metadataSubject, parseMetadataSubject } from '@parley/schemas';
import { CommunicationError } from '../errors.js';
import type { CommunicationReadModel } from './communication-read-model.js';
import { compileFilters, type ConversationFilters } from './conversation-filters.js';
import type { ListedAggregate } from './conversation-index.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { pageSizeOf, type CommunicationPage } from './page.js';
import { renderChannel, renderConversation, type ChannelJson, type ConversationJson } from './render.js';

export interface ConversationListQuery {
  filters?: ConversationFilters;
  /** A `next_cursor` or `previous_cursor` of an earlier page; omitted for the first page. */
  cursor?: string;
  /** Conversations per page; default 20. */
  pageSize?: number;
}

export interface ChannelListQuery {
  /** Only channels of this source. */
  source?: string;
  /** Only connected channels (true) or only disconnected ones (false); default both. */
  connected?: boolean;
}

/** The metadata of a subject whose id may not be a Parley id (then it has none). */
function metadataOf(readModel: CommunicationReadModel, namespace: 'channel' | 'message', id: string) {
  const subject = `${namespace}:${id}`;
  return parseMetadataSubject(subject) === undefined ? {} : readModel.metadata(metadataSubject(namespace, id));
}

export function renderListed(readModel: CommunicationReadModel, aggregate: ListedAggregate): ConversationJson {
  const channel = readModel.channel(aggregate.channelId);
  if (channel === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `conversation ${aggregate.id}: channel ${aggregate.channelId} is unknown`);
  return renderConversation({
    aggregate,
    channel: renderChannel(channel, metadataOf(readModel, 'channel', channel.id)),
    lastMessageMetadata: metadataOf(readModel, 'message', aggregate.lastMessage.id),
  });
}

/**
 * conversations.list: the conversations matching every filter, newest last message first (then
 * id, descending), `pageSize` per page, with keyset cursors and the filtered total. There is no
 * cap on how many match: every page of any list can be reached.
 */
export function listConversations(readModel: CommunicationReadModel, query: ConversationListQuery): CommunicationPage<ConversationJson> {
  const pageSize = pageSizeOf(query.pageSize);
  readModel.assertReady();
  const after = query.cursor === undefined ? undefined : decodeCursor('conv', query.cursor);
  const page = readModel.index.page(compileFilters(query.filters), after, pageSize);
  return {
    data: page.items.flatMap((item) => {
      // The store holds the aggregate the index row was made from (or a newer one).
      const aggregate = readModel.conversation(item.id);
      return aggregate === undefined ? [] : [renderListed(readModel, aggregate)];
    }),
    pagination_data: {
      previous_cursor: page.previous === null ? null : encodeCursor('conv', page.previous),
      next_cursor: page.next === null ? null : encodeCursor('conv', page.next),
      total: page.total,
    },
  };
}

/** conversations.info; RUNTIME_NOT_FOUND unless the conversation is listed (it has a message and its channel is known). */
export function conversationInfo(readModel: CommunicationReadModel, conversationId: string): ConversationJson {
  readModel.assertReady();
  const aggregate = readModel.conversation(conversationId);
  if (aggregate === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `conversation ${conversationId} not found`);
  return renderListed(readModel, aggregate);
}

/** channels.list: every known channel (connected or not unless filtered), by source then id. */
export function listChannels(readModel: CommunicationReadModel, query: ChannelListQuery): ChannelJson[] {
  readModel.assertReady();
  return [...readModel.index.channels()]
    .filter((c) => (query.source === undefined || c.source === query.source) && (query.connected === undefined || (c.connectionState === 'CONNECTED') === query.connected))
    .sort((a, b) => (a.source === b.source ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.source < b.source ? -1 : 1))
    .map((c) => renderChannel(c, metadataOf(readModel, 'channel', c.id)));
}

export function channelInfo(readModel: CommunicationReadModel, channelId: string): ChannelJson {
  readModel.assertReady();
  const channel = readModel.channel(channelId);
  if (channel === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `channel ${channelId} not found`);
  return renderChannel(channel, metadataOf(readModel, 'channel', channel.id));
}
