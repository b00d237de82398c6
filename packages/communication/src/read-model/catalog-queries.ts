import type { Tag, Template } from '@parley/schemas';
import { CommunicationError } from '../errors.js';
import { COMMUNICATION_STORES } from '../store-names.js';
import type { CommunicationReadModel } from './communication-read-model.js';
import { renderTag, renderTemplate, type TagJson, type TemplateJson } from './render.js';

export interface TemplateListQuery {
  /** Only templates of this source (exact). */
  source?: string;
  /** Only templates whose name contains this text, ignoring case. */
  name?: string;
}

const byNameThenId = (a: { name: string; id: string }, b: { name: string; id: string }): number =>
  a.name === b.name ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.name < b.name ? -1 : 1;

/** tags.list: every tag, by name then id. */
export async function listTags(readModel: CommunicationReadModel): Promise<TagJson[]> {
  const tags: Tag[] = [];
  for await (const { value } of readModel.store<string, Tag>(COMMUNICATION_STORES.tags).all()) tags.push(value);
  return tags.sort(byNameThenId).map(renderTag);
}

export function tagInfo(readModel: CommunicationReadModel, tagId: string): TagJson {
  const tag = readModel.tag(tagId);
  if (tag === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `tag ${tagId} not found`);
  return renderTag(tag);
}

/** templates.list: the templates matching the query, by name then id. */
export async function listTemplates(readModel: CommunicationReadModel, query: TemplateListQuery): Promise<TemplateJson[]> {
  const text = query.name?.toLowerCase();
  const templates: Template[] = [];
  for await (const { value } of readModel.store<string, Template>(COMMUNICATION_STORES.templates).all()) {
    if (query.source !== undefined && value.source !== query.source) continue;
    if (text !== undefined && !value.name.toLowerCase().includes(text)) continue;
    templates.push(value);
  }
  return templates.sort(byNameThenId).map(renderTemplate);
}

export function templateInfo(readModel: CommunicationReadModel, templateId: string): TemplateJson {
  const template = readModel.template(templateId);
  if (template === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `template ${templateId} not found`);
  return renderTemplate(template);
}
