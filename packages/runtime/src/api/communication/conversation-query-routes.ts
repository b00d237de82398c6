import { z } from 'zod';
import { type ConversationFilters, conversationSchema, parleyId } from '@parley/communication';
import { defineRoute, type AnyRouteDefinition } from '../../http/route-definition.js';
import { paginatedSchema, paginationRequestShape } from '../../http/pagination.js';
import type { CommunicationApi } from './communication-api.js';

const EXAMPLE_CONVERSATION = '7b3e8c3a-2f4f-5a8e-9c1d-3e5f7a9b1c2d';

const filtersSchema = z
  .object({
    channel_ids: z.array(parleyId).optional().describe('On one of these channels'),
    sources: z.array(z.string().min(1)).optional().describe('Source is one of these (`facebook`, `twilio.sms`, …)'),
    tag_ids: z.array(parleyId).optional().describe('Carries every one of these tags'),
    state: z.string().min(1).optional().describe('Metadata `state` equals this (OPEN, CLOSED, …)'),
    unread: z.boolean().optional().describe('true: unread_count > 0; false: unread_count = 0'),
    display_name: z.string().optional().describe('The display name contains this text, ignoring case'),
    metadata: z
      .record(z.string().min(1), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .optional()
      .describe("Metadata at each dotted key equals the value (`{ \"user_data.erp.id\": \"abc\" }`); a number or boolean matches its text"),
  })
  .describe('Every given filter must match; an omitted field or empty list does not filter');

/** The API's snake_case filters in the read model's terms. */
function toFilters(filters: z.output<typeof filtersSchema> | undefined): ConversationFilters {
  if (filters === undefined) return {};
  return {
    ...(filters.channel_ids === undefined ? {} : { channelIds: filters.channel_ids }),
    ...(filters.sources === undefined ? {} : { sources: filters.sources }),
    ...(filters.tag_ids === undefined ? {} : { tagIds: filters.tag_ids }),
    ...(filters.state === undefined ? {} : { state: filters.state }),
    ...(filters.unread === undefined ? {} : { unread: filters.unread }),
    ...(filters.display_name === undefined ? {} : { displayName: filters.display_name }),
    ...(filters.metadata === undefined ? {} : { metadata: filters.metadata }),
  };
}

/** `conversations.list` and `conversations.info`. */
export function conversationQueryRoutes(api: CommunicationApi): AnyRouteDefinition[] {
  return [
    defineRoute({
      name: 'conversations.list',
      summary: 'Conversations matching the filters, newest last message first',
      description: 'Keyset cursors: a conversation moving above a cursor does not shift the next page. `total` counts every match.',
      request: z.object({ filters: filtersSchema.optional(), ...paginationRequestShape }),
      response: paginatedSchema(conversationSchema),
      errors: ['RUNTIME_INVALID_CURSOR', 'RUNTIME_NOT_READY'],
      example: { filters: { unread: true }, page_size: 20 },
      handler: (_ctx, body) =>
        api.readModel.listConversations({ filters: toFilters(body.filters), pageSize: body.page_size, ...(body.cursor === undefined ? {} : { cursor: body.cursor }) }),
    }),
    defineRoute({
      name: 'conversations.info',
      summary: 'One conversation',
      request: z.object({ conversation_id: parleyId }),
      response: conversationSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { conversation_id: EXAMPLE_CONVERSATION },
      handler: (_ctx, body) => api.readModel.conversationInfo(body.conversation_id),
    }),
  ];
}
