import { COMMUNICATION_TOPICS, type Message } from '@parley/schemas';
import { CommunicationError } from '../errors.js';
import { COMMUNICATION_STORES } from '../store-names.js';
import { appendRecords, nowOf, serdesOf, type CommandContext, type WriteResult } from './command-context.js';

/**
 * messages.resend: a FAILED message written again as PENDING (same id, content and `sentAt`,
 * `updatedAt` = now), so the source's connector picks it up once more. RUNTIME_NOT_FOUND (field
 * `message_id`) for an unknown message, RUNTIME_STATE unless its latest version is FAILED (a
 * PENDING or DELIVERED message is never sent twice through this).
 *
 * `updatedAt` is set rather than cleared (Airy wrote null): the record is a change of an existing
 * message, and consumers that treat `updatedAt === null` as "new message" must not see it twice.
 */
export async function resendMessage(context: CommandContext, options: { messageId: string }): Promise<WriteResult & { message: Message }> {
  const current = context.readModel.store<string, Message>(COMMUNICATION_STORES.messages).get(options.messageId);
  if (current === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `message ${options.messageId} not found`, { field: 'message_id' });
  if (current.deliveryState !== 'FAILED') {
    throw new CommunicationError('RUNTIME_STATE', `message ${options.messageId} is ${current.deliveryState.toLowerCase()}, not failed: only a failed message can be resent`, {
      field: 'message_id',
    });
  }
  const now = nowOf(context);
  const message: Message = { ...current, deliveryState: 'PENDING', updatedAt: now };
  const value = serdesOf(context).message.serialize(message);
  const offsets = await appendRecords(context, COMMUNICATION_TOPICS.messages.name, [{ key: message.id, value, timestamp: now }]);
  return { offsets, message };
}
