import { metadataSubject, type JsonValue } from '@parley/schemas';
import { z } from 'zod';
import { resendMessage, sendMessage, renderMessage, jsonValue, messageSchema, parleyId } from '@parley/communication';
import { defineRoute, type AnyRouteDefinition } from '../../http/route-definition.js';
import { paginatedSchema, paginationRequestShape } from '../../http/pagination.js';
import type { CommunicationApi } from './communication-api.js';

const EXAMPLE_CONVERSATION = '7b3e8c3a-2f4f-5a8e-9c1d-3e5f7a9b1c2d';
const EXAMPLE_MESSAGE = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

/** A sent or resent message: the message and the conversation it belongs to. */
const sentMessageSchema = messageSchema.extend({ conversation_id: z.string().describe('The conversation (new when the message opened it)') });

/** `messages.list`, `messages.send`, `messages.resend`. */
export function messageRoutes(api: CommunicationApi): AnyRouteDefinition[] {
  return [
    defineRoute({
      name: 'messages.list',
      summary: "A conversation's messages, oldest first",
      description: 'Ordered by (sent_at, id), so messages with the same time are all listed. `total` is the conversation\'s message count.',
      request: z.object({ conversation_id: parleyId, ...paginationRequestShape }),
      response: paginatedSchema(messageSchema),
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_INVALID_CURSOR', 'RUNTIME_NOT_READY'],
      example: { conversation_id: EXAMPLE_CONVERSATION, page_size: 50 },
      handler: (_ctx, body) =>
        api.readModel.listMessages({ conversationId: body.conversation_id, pageSize: body.page_size, ...(body.cursor === undefined ? {} : { cursor: body.cursor }) }),
    }),
    defineRoute({
      name: 'messages.send',
      summary: 'Sends a message: appends it PENDING for the source to deliver',
      description:
        'Name the conversation by `conversation_id`, or start (or continue) one with a contact by `channel_id` + `source_recipient_id`: the conversation id is then the one the contact\'s own messages use. 404 unknown conversation or channel, 409 disconnected channel.',
      request: z.object({
        conversation_id: parleyId.optional(),
        channel_id: parleyId.optional(),
        source_recipient_id: z.string().min(1).max(1024).optional().describe("The contact's id at the source (phone number, PSID, …)"),
        message: jsonValue.describe("The message in the source's send format, forwarded as is"),
      }),
      response: sentMessageSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_STATE', 'RUNTIME_NOT_READY'],
      example: { conversation_id: EXAMPLE_CONVERSATION, message: { text: 'Hello!' } },
      async handler(ctx, body) {
        const { principal } = ctx;
        const sent = await sendMessage(api.commands(ctx), {
          ...(body.conversation_id === undefined ? {} : { conversationId: body.conversation_id }),
          ...(body.channel_id === undefined ? {} : { channelId: body.channel_id }),
          ...(body.source_recipient_id === undefined ? {} : { sourceRecipientId: body.source_recipient_id }),
          content: body.message as JsonValue,
          senderId: principal.id,
          senderType: principal.kind === 'user' ? 'USER' : 'APP',
        });
        await api.settle(ctx, sent.offsets);
        return { ...renderMessage(sent.message), conversation_id: sent.message.conversationId };
      },
    }),
    defineRoute({
      name: 'messages.resend',
      summary: 'Sends a failed message again (409 unless it failed)',
      request: z.object({ message_id: parleyId }),
      response: sentMessageSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_STATE', 'RUNTIME_NOT_READY'],
      example: { message_id: EXAMPLE_MESSAGE },
      async handler(ctx, body) {
        api.readModel.assertReady();
        const resent = await resendMessage(api.commands(ctx), { messageId: body.message_id });
        await api.settle(ctx, resent.offsets);
        return { ...renderMessage(resent.message, api.readModel.metadata(metadataSubject('message', resent.message.id))), conversation_id: resent.message.conversationId };
      },
    }),
  ];
}
