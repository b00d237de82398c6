/**
 * Metadata subjects: `<namespace>:<id>`, naming the entity an attribute belongs to. The id is
 * always a Parley id (a canonical UUID), never a provider's id, so every namespace:id pair has
 * one spelling and subjects never collide.
 */
import { isCanonicalUuid } from '../canonical-uuid.js';

/** The kinds of entity metadata can describe, in the order the design lists them. */
export const METADATA_NAMESPACES = ['conversation', 'message', 'channel', 'contact'] as const;
export type MetadataNamespace = (typeof METADATA_NAMESPACES)[number];

/** A subject taken apart. */
export interface MetadataSubject {
  namespace: MetadataNamespace;
  /** The entity's Parley id. */
  id: string;
}

/**
 * The subject string for entity `id` of kind `namespace`, e.g.
 * `metadataSubject('conversation', conversationId(...))` → `conversation:<uuid>`.
 * @throws RangeError for an unknown namespace or an id that is not a canonical UUID.
 */
export function metadataSubject(namespace: MetadataNamespace, id: string): string {
  if (!(METADATA_NAMESPACES as readonly string[]).includes(namespace)) {
    throw new RangeError(`namespace must be one of ${METADATA_NAMESPACES.join(', ')}, got ${JSON.stringify(namespace)}`);
  }
  if (!isCanonicalUuid(id)) throw new RangeError(`id must be a Parley id (a canonical UUID), got ${JSON.stringify(id)}`);
  return `${namespace}:${id}`;
}

/**
 * Takes a subject apart; undefined when it is not `<namespace>:<id>` with a known namespace and a
 * canonical UUID (records of such subjects come from elsewhere, e.g. a newer version, and are
 * for the caller to skip or report).
 */
export function parseMetadataSubject(subject: string): MetadataSubject | undefined {
  if (typeof subject !== 'string') return undefined;
  const colon = subject.indexOf(':');
  if (colon < 0) return undefined;
  const namespace = subject.slice(0, colon);
  const id = subject.slice(colon + 1);
  if (!(METADATA_NAMESPACES as readonly string[]).includes(namespace) || !isCanonicalUuid(id)) return undefined;
  return { namespace: namespace as MetadataNamespace, id };
}
