import { CONVERSATION_METADATA_KEYS, metadataSubject } from '@parley/schemas';
import { z } from 'zod';
import { parleyId, requireConversation, writeMetadata } from '@parley/communication';
import { RuntimeError } from '../../errors.js';
import { defineRoute, type AnyRouteDefinition } from '../../http/route-definition.js';
import type { CommunicationApi } from './communication-api.js';

const EXAMPLE_CONVERSATION = '7b3e8c3a-2f4f-5a8e-9c1d-3e5f7a9b1c2d';

/** The `contact.fetch_state` value that asks a connector to fetch the contact's profile again. */
const REQUESTED = 'requested' as const;

/** `conversations.refetch` (202). */
export function refetchRoutes(api: CommunicationApi): AnyRouteDefinition[] {
  return [
    defineRoute({
      name: 'conversations.refetch',
      summary: "Asks the source's connector to fetch the contact's profile again",
      description:
        "Writes conversation metadata `contact.fetch_state` = `requested`; the connector of a source that fetches contact profiles (Facebook, Instagram) fetches the profile again and writes `contact.display_name`, `contact.avatar_url` and `contact.fetch_state` (`ok` or `failed`). 202: the fetch happens after the answer. A conversation of a source that fetches no profiles (or whose provider is not enabled here) is a 409 `RUNTIME_NOT_SUPPORTED` (Airy answered 202 and did nothing).",
      request: z.object({ conversation_id: parleyId }),
      response: z.strictObject({ conversation_id: z.string(), fetch_state: z.literal(REQUESTED) }),
      successStatus: 202,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_SUPPORTED', 'RUNTIME_NOT_READY'],
      example: { conversation_id: EXAMPLE_CONVERSATION },
      async handler(ctx, body) {
        const context = api.commands(ctx);
        const conversation = await requireConversation(context, body.conversation_id);
        if (!api.contactRefetchSources.has(conversation.source)) {
          throw new RuntimeError('RUNTIME_NOT_SUPPORTED', `conversations of source ${conversation.source} have no contact profile to fetch`, { field: 'conversation_id' });
        }
        const written = await writeMetadata(context, metadataSubject('conversation', body.conversation_id), [{ key: CONVERSATION_METADATA_KEYS.contactFetchState, value: REQUESTED }]);
        await api.settle(ctx, written.offsets);
        return { conversation_id: body.conversation_id, fetch_state: REQUESTED };
      },
    }),
  ];
}
