import { expect } from 'chai';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { chatMessageId, parseChatContent, parseChatEvent, type SourcesError } from '../../src/index.js';
import { chatFixture } from './chatplugin-fixtures.js';

function codeOf(fn: () => unknown): { code: string | undefined; field: string | undefined } {
  try {
    fn();
    return { code: undefined, field: undefined };
  } catch (err) {
    return { code: (err as SourcesError).code, field: (err as SourcesError).field };
  }
}

describe('Chatplugin > Mapping', () => {
  /** True when a `__proto__` key appears at any depth (such content is refused, not silently cut). */
  const hasProtoKey = (value: unknown): boolean =>
    value !== null && typeof value === 'object' && (Object.hasOwn(value, '__proto__') || Object.values(value).some(hasProtoKey));

  it('accepts any JSON object within the size bound, unchanged, and refuses the rest with field message (property)', () => {
    const key = fc.oneof(fc.string(), fc.constant('__proto__'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), tie('object')),
      object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(json.object, (content) => {
        const size = Buffer.byteLength(JSON.stringify(content), 'utf8');
        if (size <= 2048 && !hasProtoKey(content)) expect(JSON.stringify(parseChatContent(content, 2048))).to.equal(JSON.stringify(content));
        else expect(codeOf(() => parseChatContent(content, 2048))).to.deep.equal({ code: 'SOURCES_INVALID_PAYLOAD', field: 'message' });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses anything but an object, and objects holding non-JSON values, with field message', () => {
    for (const content of [null, 'hi', 42, true, [{ text: 'hi' }], { n: Number.NaN }, { f: () => 1 }, { u: undefined }, { big: 1n }]) {
      expect(codeOf(() => parseChatContent(content)), String(content)).to.deep.equal({ code: 'SOURCES_INVALID_PAYLOAD', field: 'message' });
    }
    expect(codeOf(() => parseChatContent({ text: 'x'.repeat(20_000) }))).to.deep.equal({ code: 'SOURCES_INVALID_PAYLOAD', field: 'message' });
  });

  it('derives the same message id for the same conversation and client id, and another for any other pair', () => {
    const conversation = randomUUID();
    expect(chatMessageId(conversation, 'm-1')).to.equal(chatMessageId(conversation, 'm-1'));
    expect(chatMessageId(conversation, 'm-1')).to.not.equal(chatMessageId(conversation, 'm-2'));
    expect(chatMessageId(conversation, 'm-1')).to.not.equal(chatMessageId(randomUUID(), 'm-1'));
    expect(chatMessageId(conversation)).to.not.equal(chatMessageId(conversation));
    expect(() => chatMessageId(conversation, 'has space')).to.throw(RangeError);
  });

  it('parses the fixture event and names the first bad field of a broken one', () => {
    expect(parseChatEvent(chatFixture('message-event.json')).content).to.deep.equal({ text: 'Hi! Do you ship to Lisbon?' });
    const broken = { ...JSON.parse(chatFixture('message-event.json').toString('utf8')), sent_at: 'yesterday' };
    expect(codeOf(() => parseChatEvent(JSON.stringify(broken)))).to.deep.equal({ code: 'SOURCES_INVALID_PAYLOAD', field: 'sent_at' });
    expect(codeOf(() => parseChatEvent('nope'))).to.deep.equal({ code: 'SOURCES_INVALID_PAYLOAD', field: 'body' });
  });
});
