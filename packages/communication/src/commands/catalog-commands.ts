import { COMMUNICATION_TOPICS, TAG_COLOR_SYMBOLS, type JsonValue, type Tag, type TagColor, type Template } from '@parley/schemas';
import { CommunicationError } from '../errors.js';
import { appendRecords, newIdOf, nowOf, serdesOf, type CommandContext, type WriteResult } from './command-context.js';

/**
 * tags.* and templates.*: whole records keyed by id (an update rewrites the record, a delete is
 * a tombstone). Updates and deletes check the read model: RUNTIME_NOT_FOUND (field `id`) for an
 * unknown id.
 */

function assertColor(color: string): asserts color is TagColor {
  if (!(TAG_COLOR_SYMBOLS as readonly string[]).includes(color)) throw new RangeError(`color must be one of ${TAG_COLOR_SYMBOLS.join(', ')}, got ${color}`);
}

function notFound(kind: string, id: string): CommunicationError {
  return new CommunicationError('RUNTIME_NOT_FOUND', `${kind} ${id} not found`, { field: 'id' });
}

async function writeTag(context: CommandContext, tag: Tag): Promise<WriteResult & { tag: Tag }> {
  const value = serdesOf(context).tag.serialize(tag);
  const offsets = await appendRecords(context, COMMUNICATION_TOPICS.tags.name, [{ key: tag.id, value, timestamp: nowOf(context) }]);
  return { offsets, tag };
}

/** tags.create: a new tag with a new id. */
export async function createTag(context: CommandContext, options: { name: string; color: TagColor }): Promise<WriteResult & { tag: Tag }> {
  assertColor(options.color);
  return writeTag(context, { id: newIdOf(context), name: options.name, color: options.color });
}

/** tags.update: changes the given fields. */
export async function updateTag(context: CommandContext, options: { id: string; name?: string; color?: TagColor }): Promise<WriteResult & { tag: Tag }> {
  const current = context.readModel.tag(options.id);
  if (current === undefined) throw notFound('tag', options.id);
  if (options.color !== undefined) assertColor(options.color);
  return writeTag(context, { ...current, ...(options.name === undefined ? {} : { name: options.name }), ...(options.color === undefined ? {} : { color: options.color }) });
}

/** tags.delete: a tombstone (conversations keep their `tags.<id>` metadata until untagged). */
export async function deleteTag(context: CommandContext, options: { id: string }): Promise<WriteResult> {
  if (context.readModel.tag(options.id) === undefined) throw notFound('tag', options.id);
  const offsets = await appendRecords(context, COMMUNICATION_TOPICS.tags.name, [{ key: options.id, value: null, timestamp: nowOf(context) }]);
  return { offsets };
}

async function writeTemplate(context: CommandContext, template: Template): Promise<WriteResult & { template: Template }> {
  const value = serdesOf(context).template.serialize(template);
  const offsets = await appendRecords(context, COMMUNICATION_TOPICS.templates.name, [{ key: template.id, value, timestamp: nowOf(context) }]);
  return { offsets, template };
}

/** templates.create: `content` (the source's send format) stored as JSON text. */
export async function createTemplate(
  context: CommandContext,
  options: { name: string; source: string; content: JsonValue },
): Promise<WriteResult & { template: Template }> {
  return writeTemplate(context, { id: newIdOf(context), name: options.name, source: options.source, content: JSON.stringify(options.content) });
}

/** templates.update: changes the given fields. */
export async function updateTemplate(
  context: CommandContext,
  options: { id: string; name?: string; source?: string; content?: JsonValue },
): Promise<WriteResult & { template: Template }> {
  const current = context.readModel.template(options.id);
  if (current === undefined) throw notFound('template', options.id);
  return writeTemplate(context, {
    ...current,
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.source === undefined ? {} : { source: options.source }),
    ...(options.content === undefined ? {} : { content: JSON.stringify(options.content) }),
  });
}

/** templates.delete: a tombstone. */
export async function deleteTemplate(context: CommandContext, options: { id: string }): Promise<WriteResult> {
  if (context.readModel.template(options.id) === undefined) throw notFound('template', options.id);
  const offsets = await appendRecords(context, COMMUNICATION_TOPICS.templates.name, [{ key: options.id, value: null, timestamp: nowOf(context) }]);
  return { offsets };
}
