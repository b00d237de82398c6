import { expect } from 'chai';
import { MAX_JSON_DEPTH } from '@parley/schemas';
import { z } from 'zod';
import { isSourcesError } from '../src/errors.js';
import { customPayloadSchema, parseCustomPayload } from '../src/custom/mapping.js';
import { parseJsonPayload } from '../src/parse-json-payload.js';

/** The SourcesError `fn` throws. */
function thrown(fn: () => unknown): { code: string; field: string | undefined; message: string } {
  try {
    fn();
  } catch (err) {
    if (isSourcesError(err)) return { code: err.code, field: err.field, message: err.message };
    throw err;
  }
  throw new Error('did not throw');
}

const message = (overrides: Record<string, unknown>) => ({
  source_message_id: 'm-1',
  source_conversation_id: 'c-1',
  source_channel_id: 'a-1',
  sent_at: 1_700_000_000_000,
  content: { text: 'hi' },
  from_contact: true,
  ...overrides,
});

describe('Sources > parseJsonPayload limits (issue 9)', () => {
  it('refuses JSON deeper than the limit before the schema walks it (no stack overflow)', () => {
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const err = thrown(() => parseJsonPayload(z.object({ a: z.json() }), deep, 'event'));
    expect([err.code, err.field]).to.deep.equal(['SOURCES_INVALID_PAYLOAD', `a${'.0'.repeat(MAX_JSON_DEPTH - 1)}`]);
    expect(err.message).to.include(`deeper than ${MAX_JSON_DEPTH}`);
  });

  it('refuses a lone surrogate anywhere, naming the field', () => {
    const err = thrown(() => parseJsonPayload(z.object({ a: z.string() }), '{"a":"x\\ud800"}', 'event'));
    expect([err.code, err.field]).to.deep.equal(['SOURCES_INVALID_PAYLOAD', 'a']);
  });

  it('keeps custom source ids well-formed, so id derivation never throws after the append', () => {
    for (const field of ['source_message_id', 'source_conversation_id', 'source_channel_id']) {
      const body = JSON.stringify({ messages: [message({ [field]: '\udc00' })] });
      expect(thrown(() => parseCustomPayload(body)).code, field).to.equal('SOURCES_INVALID_PAYLOAD');
      // The schema itself refuses it too (the route of POST /sources.webhook validates with it).
      const parsed = customPayloadSchema.safeParse({ messages: [message({ [field]: 'a\udc00' })] });
      expect(parsed.success, field).to.equal(false);
      expect(parsed.error!.issues[0]!.path.join('.')).to.equal(`messages.0.${field}`);
    }
  });
});
