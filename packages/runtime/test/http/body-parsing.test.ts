import { expect } from 'chai';
import fc from 'fast-check';
import { MAX_JSON_DEPTH } from '@parley/schemas';
import { parseJsonBody } from '../../src/http/body-parsing.js';
import { isRuntimeError } from '../../src/errors.js';

/** Depth as the limit counts it: a scalar 0, `{}` and `[]` 1. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...(Array.isArray(value) ? value : Object.values(value)).map(depthOf));
}

const BODY_CODES = ['RUNTIME_INVALID_JSON', 'RUNTIME_INVALID_UNICODE', 'RUNTIME_JSON_TOO_DEEP'];

describe('Http > parseJsonBody', () => {
  it('parses every object or array within the limits exactly as JSON.parse does', () => {
    const root = fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), fc.array(fc.jsonValue({ maxDepth: 4 })));
    fc.assert(
      fc.property(root, (value) => {
        fc.pre(depthOf(value) <= MAX_JSON_DEPTH);
        const text = JSON.stringify(value);
        expect(parseJsonBody(Buffer.from(text, 'utf8'))).to.deep.equal(JSON.parse(text));
      }),
    );
  });

  it('answers any byte string with a value or one of the body codes, never another error', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      fc.string({ unit: 'binary' }).map((s) => Buffer.from(s, 'utf8')),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '', 'utf8')),
    );
    fc.assert(
      fc.property(bytes, (body) => {
        try {
          const value = parseJsonBody(body);
          expect(typeof value === 'object' && value !== null).to.equal(true);
        } catch (err) {
          expect(isRuntimeError(err) && BODY_CODES.includes(err.code), String(err)).to.equal(true);
        }
      }),
    );
  });

  it('refuses nesting past the limit, lone surrogates (escaped) and bytes that are not UTF-8', () => {
    const deep = `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`;
    const cases: [Buffer, string][] = [
      [Buffer.from(deep), 'RUNTIME_JSON_TOO_DEEP'],
      [Buffer.from(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`), 'RUNTIME_JSON_TOO_DEEP'],
      [Buffer.from('{"id":"\\ud800"}'), 'RUNTIME_INVALID_UNICODE'],
      [Buffer.from('{"\\udfff":1}'), 'RUNTIME_INVALID_UNICODE'],
      [Buffer.from([0x7b, 0x22, 0xc3, 0x22, 0x3a, 0x31, 0x7d]), 'RUNTIME_INVALID_UNICODE'],
      [Buffer.from('"a string"'), 'RUNTIME_INVALID_JSON'],
      [Buffer.from('{"a":1'), 'RUNTIME_INVALID_JSON'],
    ];
    for (const [body, code] of cases) {
      expect(() => parseJsonBody(body), body.toString('latin1').slice(0, 20)).to.throw().with.property('code', code);
    }
    expect(parseJsonBody(Buffer.from(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`))).to.be.an('array');
    expect(parseJsonBody(Buffer.from('\ufeff{"a":"\\ud83d\\ude00"}'))).to.deep.equal({ a: '😀' });
  });
});
