/**
 * Limits every JSON document Parley accepts from outside is held to, checked once right after
 * `JSON.parse` (which itself is not recursive in V8) and before any validator, merge or id
 * derivation walks the value recursively:
 *
 * - nesting depth at most `MAX_JSON_DEPTH` (the root object or array is depth 1): deeper values
 *   would overflow the stack of recursive code further on;
 * - every string, object keys included, is well-formed Unicode (no lone surrogate, as I-JSON,
 *   RFC 7493, requires): a lone surrogate cannot be encoded as UTF-8, so it would be stored as
 *   U+FFFD and derive ids that collide with that character's, or make id derivation throw.
 *
 * The check is iterative (an explicit stack), so no input can overflow it.
 */
import { isJsonObject } from './json-value.js';

/** Deepest nesting of objects and arrays accepted; the root is depth 1. */
export const MAX_JSON_DEPTH = 64;

/** Why a document was refused, and where (`messages.0.source_message_id`, or `body` for the root). */
export type JsonLimitViolation =
  | { kind: 'depth'; path: string; message: string }
  | { kind: 'unicode'; path: string; message: string };

// With the u flag a surrogate pair is one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /\p{Cs}/u;

/** A position in the document: its key and its parent's (a linked list, so a step costs O(1)). */
interface Step {
  key: string | number;
  parent: Step | undefined;
}

/** The first limit `value` (a JSON.parse result) breaks, or undefined when it keeps them all. */
export function findJsonLimitViolation(value: unknown, maxDepth: number = MAX_JSON_DEPTH): JsonLimitViolation | undefined {
  const stack: { value: unknown; depth: number; at: Step | undefined }[] = [{ value, depth: 0, at: undefined }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      if (LONE_SURROGATE.test(item.value)) return unicode(item.at, 'a string');
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) continue;
    const depth = item.depth + 1;
    if (depth > maxDepth) return { kind: 'depth', path: pathText(item.at), message: `nested deeper than ${maxDepth} levels at ${pathText(item.at)}` };
    if (Array.isArray(item.value)) {
      item.value.forEach((child, i) => stack.push({ value: child, depth, at: { key: i, parent: item.at } }));
    } else if (isJsonObject(item.value)) {
      for (const key of Object.keys(item.value)) {
        const at = { key, parent: item.at };
        if (LONE_SURROGATE.test(key)) return unicode(at, 'an object key');
        stack.push({ value: item.value[key], depth, at });
      }
    }
  }
  return undefined;
}

function unicode(at: Step | undefined, what: string): JsonLimitViolation {
  return { kind: 'unicode', path: pathText(at), message: `${what} at ${pathText(at)} is not well-formed Unicode (it has a lone surrogate)` };
}

/** `messages.0.content`, or `body` for the root; a key that is not a plain word is shown JSON-quoted (escaped). */
function pathText(at: Step | undefined): string {
  const keys: string[] = [];
  for (let step = at; step !== undefined; step = step.parent) keys.push(typeof step.key === 'number' || /^[\w-]+$/.test(step.key) ? String(step.key) : JSON.stringify(step.key));
  return keys.length === 0 ? 'body' : keys.reverse().join('.');
}
