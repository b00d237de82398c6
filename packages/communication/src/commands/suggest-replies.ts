import { isMetadataTombstone, MESSAGE_METADATA_KEYS, metadataSubject, type JsonValue, type Message, type Template } from '@parley/schemas';
import { CommunicationError } from '../errors.js';
import { COMMUNICATION_STORES } from '../store-names.js';
import { parseContent } from '../read-model/render.js';
import type { CommandContext, WriteResult } from './command-context.js';
import { writeMetadata, type MetadataWrite } from './metadata-commands.js';

/** Most templates suggested when the request names no limit. */
export const DEFAULT_SUGGESTION_LIMIT = 3;

export interface SuggestRepliesOptions {
  messageId: string;
  /** Suggestions given by the caller (Airy's form), suggestion id → content; when absent, templates are matched. */
  suggestions?: Readonly<Record<string, JsonValue>>;
  /** Most templates to suggest; default DEFAULT_SUGGESTION_LIMIT. */
  limit?: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The lowercase words of every string in a JSON value (the message's text wherever the source puts it). */
export function wordsOf(value: JsonValue): Set<string> {
  const words = new Set<string>();
  const stack: JsonValue[] = [value];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (typeof next === 'string') for (const word of next.toLocaleLowerCase('en').match(WORD) ?? []) words.add(word);
    else if (Array.isArray(next)) stack.push(...next);
    else if (next !== null && typeof next === 'object') stack.push(...Object.values(next));
  }
  return words;
}

/**
 * The matching rule of messages.suggest-replies: a template matches a message when it is of the
 * message's source and every word of its name (letters and digits, ignoring case) occurs in the
 * message's text (every string in its content). Matches rank by how many words their name has
 * (the more specific first), then by name, then id; the first `limit` are suggested.
 */
export function matchTemplates(message: Message, templates: readonly Template[], limit: number): Template[] {
  const words = wordsOf(parseContent(message.content));
  return templates
    .filter((template) => template.source === message.source)
    .map((template) => ({ template, nameWords: [...wordsOf(template.name)] }))
    .filter(({ nameWords }) => nameWords.length > 0 && nameWords.every((word) => words.has(word)))
    .sort((a, b) => b.nameWords.length - a.nameWords.length || (a.template.name < b.template.name ? -1 : a.template.name > b.template.name ? 1 : a.template.id < b.template.id ? -1 : 1))
    .slice(0, limit)
    .map(({ template }) => template);
}

/**
 * messages.suggest-replies: message metadata `suggestions.<id>.content` for each suggestion (the
 * caller's, or the matched templates' with the template id as suggestion id), replacing the
 * message's earlier suggestions. RUNTIME_NOT_FOUND (field `message_id`) for an unknown message.
 */
export async function suggestReplies(context: CommandContext, options: SuggestRepliesOptions): Promise<WriteResult & { message: Message; suggestionIds: string[] }> {
  const { readModel } = context;
  const message = readModel.store<string, Message>(COMMUNICATION_STORES.messages).get(options.messageId);
  if (message === undefined) throw new CommunicationError('RUNTIME_NOT_FOUND', `message ${options.messageId} not found`, { field: 'message_id' });
  let suggestions: [string, JsonValue][];
  if (options.suggestions !== undefined) suggestions = Object.entries(options.suggestions);
  else {
    const templates: Template[] = [];
    for await (const { value } of readModel.store<string, Template>(COMMUNICATION_STORES.templates).all()) templates.push(value);
    suggestions = matchTemplates(message, templates, options.limit ?? DEFAULT_SUGGESTION_LIMIT).map((template) => [template.id, parseContent(template.content)]);
  }
  const subject = metadataSubject('message', message.id);
  const prefix = `${MESSAGE_METADATA_KEYS.suggestions}.`;
  const keep = new Set(suggestions.map(([id]) => `${prefix}${id}.content`));
  const writes: MetadataWrite[] = [];
  for (const change of readModel.metadataState(subject).values()) {
    if (!isMetadataTombstone(change) && change.key.startsWith(prefix) && !keep.has(change.key)) writes.push({ key: change.key, delete: true });
  }
  for (const [id, content] of suggestions) writes.push({ key: `${prefix}${id}.content`, value: content });
  const written = await writeMetadata(context, subject, writes);
  return { ...written, message, suggestionIds: suggestions.map(([id]) => id) };
}
