import type { JsonValue } from '@parley/schemas';
import { z } from 'zod';
import { createTemplate, deleteTemplate, updateTemplate, renderTemplate, jsonValue, listSchema, parleyId, shortText, templateSchema } from '@parley/communication';
import { defineRoute, type AnyRouteDefinition } from '../../http/route-definition.js';
import type { CommunicationApi } from './communication-api.js';

const EXAMPLE_TEMPLATE = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';
const source = shortText(128).describe('The source whose send format `content` is in (`facebook`, `twilio.sms`, …)');
const content = jsonValue.describe("The message in the source's send format");

/** `templates.create` (201), `.info`, `.update` (200), `.delete` (204), `.list`. */
export function templateRoutes(api: CommunicationApi): AnyRouteDefinition[] {
  return [
    defineRoute({
      name: 'templates.create',
      summary: 'Creates a message template',
      request: z.object({ name: shortText(), source, content }),
      response: templateSchema,
      successStatus: 201,
      errors: ['RUNTIME_NOT_READY'],
      example: { name: 'Greeting', source: 'facebook', content: { text: 'Hello! How can we help?' } },
      async handler(ctx, body) {
        api.readModel.assertReady();
        const created = await createTemplate(api.commands(ctx), { name: body.name, source: body.source, content: body.content as JsonValue });
        await api.settle(ctx, created.offsets);
        return renderTemplate(created.template);
      },
    }),
    defineRoute({
      name: 'templates.info',
      summary: 'One template',
      request: z.object({ id: parleyId }),
      response: templateSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_TEMPLATE },
      handler: (_ctx, body) => api.readModel.templateInfo(body.id),
    }),
    defineRoute({
      name: 'templates.update',
      summary: "Changes a template's name, source or content",
      request: z.object({ id: parleyId, name: shortText().optional(), source: source.optional(), content: content.optional() }),
      response: templateSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_TEMPLATE, name: 'Greeting (formal)' },
      async handler(ctx, body) {
        const updated = await updateTemplate(api.commands(ctx), {
          id: body.id,
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(body.source === undefined ? {} : { source: body.source }),
          ...(body.content === undefined ? {} : { content: body.content as JsonValue }),
        });
        await api.settle(ctx, updated.offsets);
        return renderTemplate(updated.template);
      },
    }),
    defineRoute({
      name: 'templates.delete',
      summary: 'Deletes a template',
      request: z.object({ id: parleyId }),
      response: null,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_TEMPLATE },
      async handler(ctx, body) {
        const deleted = await deleteTemplate(api.commands(ctx), { id: body.id });
        await api.settle(ctx, deleted.offsets);
      },
    }),
    defineRoute({
      name: 'templates.list',
      summary: 'Templates, by name then id',
      description: 'Airy required `source`; here both filters are optional.',
      request: z.object({
        source: z.string().min(1).optional().describe('Only templates of this source'),
        name: z.string().optional().describe('Only templates whose name contains this text, ignoring case'),
      }),
      response: listSchema(templateSchema),
      errors: ['RUNTIME_NOT_READY'],
      example: { source: 'facebook' },
      handler: async (_ctx, body) => ({
        data: await api.readModel.listTemplates({ ...(body.source === undefined ? {} : { source: body.source }), ...(body.name === undefined ? {} : { name: body.name }) }),
      }),
    }),
  ];
}
