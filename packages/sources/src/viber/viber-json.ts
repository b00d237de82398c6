/**
 * Viber's JSON carries `message_token` as a 64-bit integer (e.g. 5741311803571721087), which
 * `JSON.parse` rounds to the nearest double: two tokens could become one. Viber JSON is parsed
 * with lossless-json instead, integers beyond 2^53 kept as decimal strings.
 */
import { findJsonLimitViolation } from '@parley/schemas';
import { isSafeNumber, parse } from 'lossless-json';
import type { z } from 'zod';
import { SourcesError } from '../errors.js';

/** Parses Viber JSON; unsafe integers become their decimal text. Throws SyntaxError on bad JSON. */
export function parseViberJson(text: string): unknown {
  return parse(text, null, (digits) => (isSafeNumber(digits) ? Number(digits) : digits));
}

/**
 * Parses and validates a Viber payload.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD naming the first bad field (`body` when not JSON).
 */
export function parseViberPayload<S extends z.ZodType>(schema: S, raw: Buffer | string, what: string): z.output<S> {
  let json: unknown;
  try {
    json = parseViberJson(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (cause) {
    throw new SourcesError('SOURCES_INVALID_PAYLOAD', `the ${what} is not JSON`, { cause, field: 'body' });
  }
  const violation = findJsonLimitViolation(json);
  if (violation !== undefined) throw new SourcesError('SOURCES_INVALID_PAYLOAD', `invalid ${what}: ${violation.message}`, { field: violation.path });
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length === 0 ? 'body' : issue.path.map(String).join('.');
  throw new SourcesError('SOURCES_INVALID_PAYLOAD', `invalid ${what} at ${field}: ${issue.message}`, { field });
}
