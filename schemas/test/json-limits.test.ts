import { expect } from 'chai';
import fc from 'fast-check';
import { findJsonLimitViolation, MAX_JSON_DEPTH } from '../src/json-limits.js';

/** `value` wrapped in `levels` arrays or objects (alternating by `kinds`), built without recursion. */
function nest(value: unknown, levels: number, kinds: readonly ('array' | 'object')[]): unknown {
  let out = value;
  for (let i = 0; i < levels; i += 1) out = kinds[i % kinds.length] === 'array' ? [out] : { k: out };
  return out;
}

/** Nesting depth as the limit counts it (a scalar is 0, `{}` and `[]` are 1). */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

const wellFormedJson = fc.jsonValue({ depthSize: 'small' }).filter((v) => depthOf(v) <= MAX_JSON_DEPTH);
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

describe('Schemas > JSON limits', () => {
  it('accepts every well-formed value within the depth limit, whatever its strings', () => {
    fc.assert(
      fc.property(wellFormedJson, (value) => {
        expect(findJsonLimitViolation(JSON.parse(JSON.stringify(value)))).to.equal(undefined);
      }),
    );
  });

  it('refuses exactly the values nested deeper than the limit, naming where', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 * MAX_JSON_DEPTH }), fc.array(fc.constantFrom('array' as const, 'object' as const), { minLength: 1, maxLength: 4 }), (levels, kinds) => {
        const violation = findJsonLimitViolation(nest('leaf', levels, kinds));
        if (levels <= MAX_JSON_DEPTH) expect(violation).to.equal(undefined);
        else expect(violation).to.include({ kind: 'depth' });
      }),
    );
  });

  it('walks any depth without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(findJsonLimitViolation(deep)).to.include({ kind: 'depth' });
    expect(findJsonLimitViolation(deep, 300_000)).to.equal(undefined);
  });

  it('refuses a lone surrogate in any string or key, anywhere, and names its path', () => {
    fc.assert(
      fc.property(fc.string(), loneSurrogate, fc.string(), fc.boolean(), fc.integer({ min: 0, max: 10 }), (before, lone, after, inKey, levels) => {
        const text = `${before}${lone}${after}`;
        // A lone surrogate joined to a neighbour may form a pair: only test strings that stay ill-formed.
        fc.pre(/\p{Cs}/u.test(text));
        const leaf = inKey ? { [text]: 1 } : { field: text };
        const violation = findJsonLimitViolation(nest(leaf, levels, ['array']));
        expect(violation).to.include({ kind: 'unicode' });
        const prefix = Array.from({ length: levels }, () => '0');
        expect(violation!.path).to.equal([...prefix, inKey ? JSON.stringify(text) : 'field'].join('.'));
      }),
    );
  });

  it('takes surrogate pairs (astral characters) as well-formed', () => {
    expect(findJsonLimitViolation({ '😀': ['𝄞', '\ud83d\ude00'] })).to.equal(undefined);
  });
});
