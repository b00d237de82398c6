import type { Channel, MetadataState } from '@parley/schemas';
import type { ConversationAggregate } from './conversation-aggregate.js';

/**
 * Called by the topology's processors, synchronously, right after they change a store: how the
 * query layer keeps its in-memory conversation index current without polling. Replays after a
 * crash call it again with the same values, so implementations must be idempotent (upserts).
 * Stores restored from changelogs do not call it: the query layer reads them once at start.
 */
export interface CommunicationListener {
  /** A conversation's aggregate was written. */
  conversationChanged(aggregate: ConversationAggregate): void;
  /** A channel was written (null: deleted). */
  channelChanged(channelId: string, channel: Channel | null): void;
  /** A contact's merged metadata was written (subject `contact:<contactId>`, tombstones included). */
  contactChanged?(contactId: string, state: MetadataState): void;
}
