/**
 * Conversation and message ids of custom sources, by the source's id scheme (`Source.idScheme`):
 * - PARLEY (the default): scoped by channel like every source, `conversationId(channelId, …)` and
 *   `messageId(channelId, …)`;
 * - AIRY: Airy Core's Source API derivation, `nameBasedUuid(sourceId, …)` for conversations,
 *   messages and metadata subjects alike (Airy §1.3), so an integration moved from Airy keeps its
 *   ids. One contact's conversations on two channels of such a source are then one conversation,
 *   as they were in Airy.
 * Channel ids are `channelId(sourceId, source_channel_id)` under both.
 */
import { conversationId, messageId, nameBasedUuid, type SourceIdScheme } from '@parley/schemas';

/** The raw record header naming the scheme a payload was accepted under (absent: PARLEY). */
export const ID_SCHEME_HEADER = 'parley.id-scheme';

export function customConversationId(scheme: SourceIdScheme, sourceId: string, channelId: string | null, sourceConversationId: string): string {
  return scheme === 'AIRY' ? nameBasedUuid(sourceId, sourceConversationId) : conversationId(requireChannel(channelId), sourceConversationId);
}

export function customMessageId(scheme: SourceIdScheme, sourceId: string, channelId: string | null, sourceMessageId: string): string {
  return scheme === 'AIRY' ? nameBasedUuid(sourceId, sourceMessageId) : messageId(requireChannel(channelId), sourceMessageId);
}

/** The scheme of a raw payload record by its headers. */
export function idSchemeOf(headers: Readonly<Record<string, Buffer>> | undefined): SourceIdScheme {
  return headers?.[ID_SCHEME_HEADER]?.toString('utf8') === 'AIRY' ? 'AIRY' : 'PARLEY';
}

function requireChannel(channelId: string | null): string {
  if (channelId === null) throw new RangeError('ids of a source with id scheme PARLEY are scoped by channel: source_channel_id is required');
  return channelId;
}
