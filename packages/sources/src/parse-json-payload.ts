import { findJsonLimitViolation } from '@parley/schemas';
import type { z } from 'zod';
import { SourcesError } from './errors.js';

/**
 * Parses JSON bytes and validates them with `schema`.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD naming the first bad field (`messages.0.sent_at`,
 *   or `body` when the bytes are not JSON), also for JSON nested deeper than MAX_JSON_DEPTH or
 *   with a lone surrogate (see `findJsonLimitViolation`); `what` names the payload in the message.
 */
export function parseJsonPayload<S extends z.ZodType>(schema: S, raw: Buffer | string, what: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch (cause) {
    throw new SourcesError('SOURCES_INVALID_PAYLOAD', `the ${what} is not JSON`, { cause, field: 'body' });
  }
  // Before the schema: its recursive validators must never see a value deep enough to overflow.
  const violation = findJsonLimitViolation(json);
  if (violation !== undefined) throw new SourcesError('SOURCES_INVALID_PAYLOAD', `invalid ${what}: ${violation.message}`, { field: violation.path });
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length === 0 ? 'body' : issue.path.map(String).join('.');
  throw new SourcesError('SOURCES_INVALID_PAYLOAD', `invalid ${what} at ${field}: ${issue.message}`, { field });
}
