import { COMMUNICATION_TOPICS, CONVERSATION_METADATA_KEYS, conversationTagKey, metadataSubject } from '@parley/schemas';
import { CommunicationError } from '../errors.js';
import { appendRecords, nowOf, requireConversation, serdesOf, type CommandContext, type WriteResult } from './command-context.js';
import { writeMetadata } from './metadata-commands.js';

/**
 * Commands on one conversation. Each first waits (bounded, on its own) for the conversation to
 * be listed by the read model: RUNTIME_NOT_FOUND when it never is.
 */

export interface MarkReadOptions {
  conversationId: string;
  /** Who read it; null when unknown. */
  userId?: string | null;
}

/** conversations.mark-read: a ReadReceipt with readAt = now; unread_count drops to the messages sent after now. */
export async function markConversationRead(context: CommandContext, options: MarkReadOptions): Promise<WriteResult & { readAt: number }> {
  await requireConversation(context, options.conversationId);
  const readAt = nowOf(context);
  const value = serdesOf(context).readReceipt.serialize({ conversationId: options.conversationId, readAt, userId: options.userId ?? null });
  const offsets = await appendRecords(context, COMMUNICATION_TOPICS.readReceipts.name, [{ key: options.conversationId, value, timestamp: readAt }]);
  return { offsets, readAt };
}

export interface TagOptions {
  conversationId: string;
  tagId: string;
}

/** conversations.tag: metadata `tags.<tagId>` = "". RUNTIME_NOT_FOUND (field `tag_id`) for an unknown tag. */
export async function tagConversation(context: CommandContext, options: TagOptions): Promise<WriteResult> {
  await requireConversation(context, options.conversationId);
  if (context.readModel.tag(options.tagId) === undefined) {
    throw new CommunicationError('RUNTIME_NOT_FOUND', `tag ${options.tagId} not found`, { field: 'tag_id' });
  }
  const subject = metadataSubject('conversation', options.conversationId);
  return writeMetadata(context, subject, [{ key: conversationTagKey(options.tagId), value: '' }]);
}

/** conversations.untag: deletes metadata `tags.<tagId>` (the tag itself need not exist any more). */
export async function untagConversation(context: CommandContext, options: TagOptions): Promise<WriteResult> {
  await requireConversation(context, options.conversationId);
  const subject = metadataSubject('conversation', options.conversationId);
  return writeMetadata(context, subject, [{ key: conversationTagKey(options.tagId), delete: true }]);
}

/** conversations.set-state: metadata `state` (any non-empty text; by convention OPEN or CLOSED). */
export async function setConversationState(context: CommandContext, options: { conversationId: string; state: string }): Promise<WriteResult> {
  if (typeof options.state !== 'string' || options.state.length === 0) throw new TypeError('state must be a non-empty string');
  await requireConversation(context, options.conversationId);
  const subject = metadataSubject('conversation', options.conversationId);
  return writeMetadata(context, subject, [{ key: CONVERSATION_METADATA_KEYS.state, value: options.state }]);
}

/** conversations.remove-state: deletes metadata `state`. */
export async function removeConversationState(context: CommandContext, options: { conversationId: string }): Promise<WriteResult> {
  await requireConversation(context, options.conversationId);
  const subject = metadataSubject('conversation', options.conversationId);
  return writeMetadata(context, subject, [{ key: CONVERSATION_METADATA_KEYS.state, delete: true }]);
}

/** conversations.update-contact: metadata `contact.display_name`. */
export async function updateContactDisplayName(
  context: CommandContext,
  options: { conversationId: string; displayName: string },
): Promise<WriteResult> {
  if (typeof options.displayName !== 'string' || options.displayName.length === 0) throw new TypeError('displayName must be a non-empty string');
  await requireConversation(context, options.conversationId);
  const subject = metadataSubject('conversation', options.conversationId);
  return writeMetadata(context, subject, [{ key: CONVERSATION_METADATA_KEYS.contactDisplayName, value: options.displayName }]);
}
