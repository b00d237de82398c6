import { flattenMetadata, type JsonObject } from '@parley/schemas';
import { z } from 'zod';
import { createContact, deleteContact, mergeContacts, updateContact, contactSchema, jsonObject, listSchema, messageSchema, parleyId, shortText, type ContactFields } from '@parley/communication';
import { defineRoute, type AnyRouteDefinition } from '../../http/route-definition.js';
import { paginate, paginatedSchema, paginationDataSchema, paginationRequestShape } from '../../http/pagination.js';
import type { CommunicationApi } from './communication-api.js';

const EXAMPLE_CONTACT = '3f9a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const EXAMPLE_CONVERSATION = '7b3e8c3a-2f4f-5a8e-9c1d-3e5f7a9b1c2d';
/** Most contacts one contacts.import takes. */
const MAX_IMPORT = 1000;

/** An object whose keys can be stored as dotted metadata keys (no empty key, no dot in one). */
const storableObject = (description: string) =>
  jsonObject
    .refine(
      (value) => {
        try {
          flattenMetadata(value as JsonObject);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'keys must be non-empty and contain no dot' },
    )
    .describe(description);

const optionalText = (max = 256) => shortText(max).nullable().optional();

/** The attributes of contacts.create and .update; null (on update) deletes one. */
const fieldsShape = {
  display_name: optionalText(),
  avatar_url: z.url({ protocol: /^https?$/ }).max(2048).nullable().optional().describe('An http(s) URL'),
  title: optionalText(),
  gender: optionalText(64),
  timezone: z.number().min(-12).max(14).nullable().optional().describe('Offset from UTC in hours, -12 to 14'),
  locale: optionalText(64),
  organization_name: optionalText(),
  via: storableObject('How to reach the contact, e.g. `{ "phone": "+49…" }`; merged field by field').nullable().optional(),
  address: z
    .strictObject({
      organization_name: optionalText(),
      address_line1: optionalText(),
      address_line2: optionalText(),
      postal_code: optionalText(64),
      city: optionalText(),
      state: optionalText(),
      country: optionalText(),
    })
    .nullable()
    .optional()
    .describe('Merged field by field: a field left out keeps its value, null deletes it'),
  metadata: storableObject('Free attributes; merged field by field').nullable().optional(),
};

const createRequest = z.object({
  ...fieldsShape,
  conversations: z.record(parleyId, shortText(128)).optional().describe('Conversations to link, id → source; each moves from the contact it belonged to'),
});

type FieldsBody = { [K in keyof typeof fieldsShape]?: z.output<(typeof fieldsShape)[K]> };

/** The request's attributes as the command takes them (undefined ones left out). */
function fieldsOf(body: FieldsBody): ContactFields {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(fieldsShape) as (keyof FieldsBody)[]) if (body[key] !== undefined) fields[key] = body[key];
  return fields as ContactFields;
}

const contactJson = (value: unknown) => value as z.input<typeof contactSchema>;

/** `contacts.create` (201), `.import` (201), `.list`, `.info`, `.update`, `.merge`, `.delete` (204), `.recent-messages`. */
export function contactRoutes(api: CommunicationApi): AnyRouteDefinition[] {
  return [
    defineRoute({
      name: 'contacts.create',
      summary: 'Creates a contact',
      description: 'Every conversation also gets a contact of its own when its first message arrives; this creates one more (e.g. to merge into).',
      request: createRequest,
      response: contactSchema,
      successStatus: 201,
      errors: ['RUNTIME_NOT_READY'],
      example: { display_name: 'Ada Lovelace', via: { email: 'ada@example.com' }, conversations: { [EXAMPLE_CONVERSATION]: 'facebook' } },
      async handler(ctx, body) {
        api.readModel.assertReady();
        const created = await createContact(api.commands(ctx), { fields: fieldsOf(body), ...(body.conversations === undefined ? {} : { conversations: body.conversations }) });
        await api.settle(ctx, created.offsets);
        return contactJson(api.readModel.contactInfo(created.contactId));
      },
    }),
    defineRoute({
      name: 'contacts.import',
      summary: 'Creates many contacts at once',
      description: `The body is an array of contacts.create bodies (1 to ${MAX_IMPORT}), validated whole before anything is written.`,
      request: z.array(createRequest).min(1).max(MAX_IMPORT),
      response: listSchema(contactSchema),
      successStatus: 201,
      errors: ['RUNTIME_NOT_READY'],
      example: [{ display_name: 'Ada Lovelace' }, { display_name: 'Grace Hopper', organization_name: 'US Navy' }],
      async handler(ctx, body) {
        api.readModel.assertReady();
        const context = api.commands(ctx);
        const created = [];
        for (const item of body) created.push(await createContact(context, { fields: fieldsOf(item), ...(item.conversations === undefined ? {} : { conversations: item.conversations }) }));
        await api.settle(ctx, created.flatMap((c) => c.offsets));
        return { data: created.map((c) => contactJson(api.readModel.contactInfo(c.contactId))) };
      },
    }),
    defineRoute({
      name: 'contacts.list',
      summary: 'Contacts by display name (ignoring case; those without one last), then id',
      request: z.object({ ...paginationRequestShape }),
      response: paginatedSchema(contactSchema),
      errors: ['RUNTIME_INVALID_CURSOR', 'RUNTIME_NOT_READY'],
      example: { page_size: 50 },
      handler: (_ctx, body) => paginate(api.readModel.listContacts(), body) as z.input<ReturnType<typeof paginatedSchema<typeof contactSchema>>>,
    }),
    defineRoute({
      name: 'contacts.info',
      summary: 'One contact, by its id or by one of its conversations',
      request: z
        .object({ id: parleyId.optional(), conversation_id: parleyId.optional() })
        .refine((b) => (b.id === undefined) !== (b.conversation_id === undefined), { message: 'give exactly one of id and conversation_id', path: ['id'] }),
      response: contactSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { conversation_id: EXAMPLE_CONVERSATION },
      handler: (_ctx, body) => contactJson(body.id !== undefined ? api.readModel.contactInfo(body.id) : api.readModel.contactOfConversation(body.conversation_id!)),
    }),
    defineRoute({
      name: 'contacts.update',
      summary: "Changes a contact's attributes; answers the contact",
      description: 'Fields left out keep their value, null deletes one; `via`, `address` and `metadata` merge field by field.',
      request: z.object({ id: parleyId, ...fieldsShape }),
      response: contactSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_CONTACT, title: 'Countess', address: { city: 'London' } },
      async handler(ctx, body) {
        const updated = await updateContact(api.commands(ctx), { id: body.id, fields: fieldsOf(body) });
        await api.settle(ctx, updated.offsets);
        return contactJson(api.readModel.contactInfo(body.id));
      },
    }),
    defineRoute({
      name: 'contacts.merge',
      summary: 'Merges the source contact into the destination; answers the destination',
      description:
        "The destination gains the source's conversations and every attribute it lacks (its own values win); `merge_history` records the source as it was. The source is deleted. 400 for a contact merged into itself.",
      request: z.object({ source_id: parleyId, destination_id: parleyId }),
      response: contactSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_INVALID_REQUEST', 'RUNTIME_NOT_READY'],
      example: { source_id: EXAMPLE_CONTACT, destination_id: '4a0b3c2d-5e6f-4071-8b8c-0d1e2f3a4b5c' },
      async handler(ctx, body) {
        const merged = await mergeContacts(api.commands(ctx), { sourceId: body.source_id, destinationId: body.destination_id });
        await api.settle(ctx, merged.offsets);
        return contactJson(api.readModel.contactInfo(body.destination_id));
      },
    }),
    defineRoute({
      name: 'contacts.delete',
      summary: 'Deletes a contact (its conversations stay, without a contact)',
      request: z.object({ id: parleyId }),
      response: null,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_CONTACT },
      async handler(ctx, body) {
        const deleted = await deleteContact(api.commands(ctx), { id: body.id });
        await api.settle(ctx, deleted.offsets);
      },
    }),
    defineRoute({
      name: 'contacts.recent-messages',
      summary: "The latest messages of each of a contact's conversations",
      description:
        'Keyed by conversation id: a messages.list page (oldest first within the page). Without a cursor for a conversation its page is its newest `page_size` messages; `previous_cursor` leads back, and goes in `cursors` next time.',
      request: z.object({
        contact_id: parleyId,
        include_sources: z.array(z.string().min(1)).optional().describe('Only conversations of these sources'),
        page_size: paginationRequestShape.page_size,
        cursors: z.record(parleyId, z.string().min(1)).optional().describe('Per conversation id, a cursor of an earlier answer'),
      }),
      response: z.record(z.string(), z.strictObject({ data: z.array(messageSchema), pagination_data: paginationDataSchema })),
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_INVALID_CURSOR', 'RUNTIME_NOT_READY'],
      example: { contact_id: EXAMPLE_CONTACT, page_size: 10 },
      handler: (_ctx, body) =>
        api.readModel.recentMessages({
          contactId: body.contact_id,
          pageSize: body.page_size,
          ...(body.include_sources === undefined ? {} : { includeSources: body.include_sources }),
          ...(body.cursors === undefined ? {} : { cursors: body.cursors }),
        }),
    }),
  ];
}
