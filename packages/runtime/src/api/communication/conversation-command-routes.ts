import { z } from 'zod';
import { markConversationRead, removeConversationState, setConversationState, tagConversation, untagConversation, updateContactDisplayName, type CommandContext, type WriteResult, parleyId, shortText } from '@parley/communication';
import { defineRoute, type AnyRouteDefinition, type HandlerContext } from '../../http/route-definition.js';
import type { CommunicationApi } from './communication-api.js';

const EXAMPLE_CONVERSATION = '7b3e8c3a-2f4f-5a8e-9c1d-3e5f7a9b1c2d';
const EXAMPLE_TAG = '1d2c3b4a-5f6e-4d8c-9b0a-1f2e3d4c5b6a';
const ERRORS = ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'];

/**
 * A 204 route on one conversation: the command writer appends, then the answer waits for the read
 * model to show the change (read-your-writes). Commands on a conversation that is not listed yet
 * wait for it (bounded), then 404.
 */
function conversationCommand<TRequest extends z.ZodType>(
  api: CommunicationApi,
  route: { name: string; summary: string; request: TRequest; example: z.input<TRequest>; errors?: string[] },
  write: (context: CommandContext, body: z.output<TRequest>, ctx: HandlerContext) => Promise<WriteResult>,
): AnyRouteDefinition {
  return defineRoute({
    ...route,
    response: null,
    errors: [...ERRORS, ...(route.errors ?? [])],
    async handler(ctx, body) {
      const written = await write(api.commands(ctx), body as z.output<TRequest>, ctx);
      await api.settle(ctx, written.offsets);
    },
  });
}

/** `conversations.mark-read`, `.tag`, `.untag`, `.set-state`, `.remove-state`, `.update-contact` (all 204). */
export function conversationCommandRoutes(api: CommunicationApi): AnyRouteDefinition[] {
  const byId = z.object({ conversation_id: parleyId });
  const tagRequest = z.object({ conversation_id: parleyId, tag_id: parleyId });
  return [
    conversationCommand(
      api,
      { name: 'conversations.mark-read', summary: 'Marks every message of the conversation read now (unread_count drops to 0)', request: byId, example: { conversation_id: EXAMPLE_CONVERSATION } },
      (context, body, { principal }) => markConversationRead(context, { conversationId: body.conversation_id, userId: principal.kind === 'user' ? principal.id : null }),
    ),
    conversationCommand(
      api,
      { name: 'conversations.tag', summary: 'Attaches a tag (404 for an unknown tag)', request: tagRequest, example: { conversation_id: EXAMPLE_CONVERSATION, tag_id: EXAMPLE_TAG } },
      (context, body) => tagConversation(context, { conversationId: body.conversation_id, tagId: body.tag_id }),
    ),
    conversationCommand(
      api,
      { name: 'conversations.untag', summary: 'Detaches a tag (the tag itself may be deleted already)', request: tagRequest, example: { conversation_id: EXAMPLE_CONVERSATION, tag_id: EXAMPLE_TAG } },
      (context, body) => untagConversation(context, { conversationId: body.conversation_id, tagId: body.tag_id }),
    ),
    conversationCommand(
      api,
      {
        name: 'conversations.set-state',
        summary: 'Sets metadata `state` (by convention OPEN or CLOSED)',
        request: z.object({ conversation_id: parleyId, state: shortText(64) }),
        example: { conversation_id: EXAMPLE_CONVERSATION, state: 'CLOSED' },
      },
      (context, body) => setConversationState(context, { conversationId: body.conversation_id, state: body.state }),
    ),
    conversationCommand(
      api,
      { name: 'conversations.remove-state', summary: 'Removes metadata `state`', request: byId, example: { conversation_id: EXAMPLE_CONVERSATION } },
      (context, body) => removeConversationState(context, { conversationId: body.conversation_id }),
    ),
    conversationCommand(
      api,
      {
        name: 'conversations.update-contact',
        summary: "Sets the contact's display name (metadata `contact.display_name`)",
        request: z.object({ conversation_id: parleyId, display_name: shortText() }),
        example: { conversation_id: EXAMPLE_CONVERSATION, display_name: 'Ada Lovelace' },
      },
      (context, body) => updateContactDisplayName(context, { conversationId: body.conversation_id, displayName: body.display_name }),
    ),
  ];
}
