import type { Tag, TagColor } from '@parley/schemas';
import { z } from 'zod';
import { createTag, deleteTag, updateTag, renderTag, listSchema, parleyId, shortText, TAG_COLORS, tagSchema } from '@parley/communication';
import { defineRoute, type AnyRouteDefinition } from '../../http/route-definition.js';
import type { CommunicationApi } from './communication-api.js';

const EXAMPLE_TAG = '1d2c3b4a-5f6e-4d8c-9b0a-1f2e3d4c5b6a';
const color = z.enum(TAG_COLORS);

/** `tag-red` → `RED`, the record's symbol. */
const toSymbol = (value: (typeof TAG_COLORS)[number]): TagColor => value.slice('tag-'.length).toUpperCase() as TagColor;

/** The rendered tag; its color is always one of TAG_COLORS (the record's color is an Avro enum). */
const tagJson = (tag: Tag) => renderTag(tag) as z.input<typeof tagSchema>;

/** `tags.create` (201), `tags.update` (204), `tags.delete` (204), `tags.list`. */
export function tagRoutes(api: CommunicationApi): AnyRouteDefinition[] {
  return [
    defineRoute({
      name: 'tags.create',
      summary: 'Creates a tag',
      request: z.object({ name: shortText(), color }),
      response: tagSchema,
      successStatus: 201,
      errors: ['RUNTIME_NOT_READY'],
      example: { name: 'Urgent', color: 'tag-red' },
      async handler(ctx, body) {
        api.readModel.assertReady();
        const created = await createTag(api.commands(ctx), { name: body.name, color: toSymbol(body.color) });
        await api.settle(ctx, created.offsets);
        return tagJson(created.tag);
      },
    }),
    defineRoute({
      name: 'tags.update',
      summary: "Changes a tag's name or color",
      request: z.object({ id: parleyId, name: shortText().optional(), color: color.optional() }),
      response: null,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_TAG, color: 'tag-blue' },
      async handler(ctx, body) {
        const updated = await updateTag(api.commands(ctx), {
          id: body.id,
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(body.color === undefined ? {} : { color: toSymbol(body.color) }),
        });
        await api.settle(ctx, updated.offsets);
      },
    }),
    defineRoute({
      name: 'tags.delete',
      summary: 'Deletes a tag (conversations keep it until untagged)',
      request: z.object({ id: parleyId }),
      response: null,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_TAG },
      async handler(ctx, body) {
        const deleted = await deleteTag(api.commands(ctx), { id: body.id });
        await api.settle(ctx, deleted.offsets);
      },
    }),
    defineRoute({
      name: 'tags.list',
      summary: 'Every tag, by name then id',
      request: z.object({}),
      response: listSchema(tagSchema),
      errors: ['RUNTIME_NOT_READY'],
      example: {},
      handler: async () => ({ data: (await api.readModel.listTags()) as z.input<typeof tagSchema>[] }),
    }),
  ];
}
