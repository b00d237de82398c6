import { metadataSubject, type JsonValue } from '@parley/schemas';
import { z } from 'zod';
import { DEFAULT_SUGGESTION_LIMIT, jsonValue, messageSchema, parleyId, renderMessage, suggestReplies } from '@parley/communication';
import { defineRoute, type AnyRouteDefinition } from '../../http/route-definition.js';
import type { CommunicationApi } from './communication-api.js';

const EXAMPLE_MESSAGE = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const suggestionId = z.string().min(1).max(128).regex(/^[^.]+$/, 'must not contain a dot');

/** `messages.suggest-replies`. */
export function suggestRoutes(api: CommunicationApi): AnyRouteDefinition[] {
  return [
    defineRoute({
      name: 'messages.suggest-replies',
      summary: 'Suggests replies to a message: from templates, or the ones given',
      description:
        'Without `suggestions`, templates are matched: a template matches when it is of the message\'s source and every word of its name (letters and digits, ignoring case) occurs in the message\'s text (every string in its content); matches rank by how many words their name has, then by name, then id, and the first `limit` are suggested under their template id. ' +
        "With `suggestions` (Airy's form, id → `{ content }`) those are stored. Either way they replace the message's earlier suggestions, as message metadata `suggestions.<id>.content`; the answer is the message with its metadata.",
      request: z.object({
        message_id: parleyId,
        suggestions: z
          .record(suggestionId, z.object({ content: jsonValue }))
          .optional()
          .describe('Suggestion id → `{ content }` in the source\'s send format; omitted: match templates'),
        limit: z.int().min(1).max(20).default(DEFAULT_SUGGESTION_LIMIT).describe(`Most templates to suggest, 1 to 20; default ${DEFAULT_SUGGESTION_LIMIT}`),
      }),
      response: messageSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { message_id: EXAMPLE_MESSAGE },
      async handler(ctx, body) {
        api.readModel.assertReady();
        const suggested = await suggestReplies(api.commands(ctx), {
          messageId: body.message_id,
          limit: body.limit,
          ...(body.suggestions === undefined ? {} : { suggestions: Object.fromEntries(Object.entries(body.suggestions).map(([id, s]) => [id, s.content as JsonValue])) }),
        });
        await api.settle(ctx, suggested.offsets);
        return renderMessage(suggested.message, api.readModel.metadata(metadataSubject('message', suggested.message.id)));
      },
    }),
  ];
}
