import { flattenMetadata, type JsonObject, type Message, type MetadataNamespace } from '@parley/schemas';
import { z } from 'zod';
import { isCommunicationError, requireConversation, type CommandContext, upsertMetadata, COMMUNICATION_STORES, jsonObject, parleyId } from '@parley/communication';
import { RuntimeError } from '../../errors.js';
import { defineRoute, type AnyRouteDefinition } from '../../http/route-definition.js';
import type { CommunicationApi } from './communication-api.js';

const EXAMPLE_CONVERSATION = '7b3e8c3a-2f4f-5a8e-9c1d-3e5f7a9b1c2d';

/** `data` must flatten to at least one attribute, with no empty or dotted key segment. */
const dataSchema = jsonObject.superRefine((data, issues) => {
  try {
    if (flattenMetadata(data as JsonObject).length === 0) issues.addIssue({ code: 'custom', message: 'has no attribute to write' });
  } catch (err) {
    if (!(err instanceof RangeError || err instanceof TypeError)) throw err;
    issues.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

/**
 * `metadata.upsert`: sets attributes of a conversation, message, channel or contact (204). Every
 * leaf of `data` becomes one attribute under `user_data.<dotted path>` (Airy's docs left the
 * prefix out); attributes not in `data` are left alone. Conversations, messages, channels and
 * contacts must exist (404; Airy wrote metadata for any id); a contact's `user_data` is the
 * `metadata` field contacts.info shows.
 */
export function metadataRoutes(api: CommunicationApi): AnyRouteDefinition[] {
  return [
    defineRoute({
      name: 'metadata.upsert',
      summary: 'Sets attributes (under `user_data.`) of a conversation, message, channel or contact',
      description: 'Each leaf of `data` is written under `user_data.<dotted path>`; arrays are leaves; other attributes are left alone.',
      request: z.object({
        subject: z.enum(['conversation', 'message', 'channel', 'contact']).describe('The kind of entity'),
        id: parleyId,
        data: dataSchema.describe('Nested attributes; each leaf becomes `user_data.<dotted path>`'),
      }),
      response: null,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { subject: 'conversation', id: EXAMPLE_CONVERSATION, data: { erp: { customer_id: 'C-1042' } } },
      async handler(ctx, body) {
        const context = api.commands(ctx);
        api.readModel.assertReady();
        await requireSubject(api, context, { subject: body.subject, id: body.id });
        const written = await upsertMetadata(context, { namespace: body.subject as MetadataNamespace, id: body.id, data: body.data as JsonObject });
        await api.settle(ctx, written.offsets);
      },
    }),
  ];
}

/** RUNTIME_NOT_FOUND (field `id`) unless the entity exists; a conversation is waited for (bounded). */
async function requireSubject(api: CommunicationApi, context: CommandContext, { subject, id }: { subject: string; id: string }): Promise<void> {
  const missing = () => new RuntimeError('RUNTIME_NOT_FOUND', `${subject} ${id} not found`, { field: 'id' });
  if (subject === 'conversation') {
    try {
      await requireConversation(context, id);
    } catch (err) {
      throw isCommunicationError(err, 'RUNTIME_NOT_FOUND') ? missing() : err;
    }
  } else if (subject === 'channel') {
    if (api.readModel.channel(id) === undefined) throw missing();
  } else if (subject === 'message') {
    if (api.readModel.store<string, Message>(COMMUNICATION_STORES.messages).get(id) === undefined) throw missing();
  } else if (subject === 'contact') {
    if (api.readModel.contacts.get(id) === undefined) throw missing();
  }
}
