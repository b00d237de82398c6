import { expect } from 'chai';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { canonicalJson } from '../src/import/canonical-json.js';
import { parseBrokers, parseTopicsPrefix } from '../src/options.js';

/** The same JSON value with every object's keys in another order. */
function reordered(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => reordered(v, seed));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([k, v]) => [k, reordered(v, seed)] as const);
  const rotated = entries.length === 0 ? entries : [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)].reverse();
  return Object.fromEntries(rotated);
}

describe('Cli > import helpers', () => {
  it('canonicalJson: equal values give equal text whatever the key order, different values different text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, seed) => {
        expect(canonicalJson(reordered(value, seed))).to.equal(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).to.deep.equal(JSON.parse(JSON.stringify(value)));
      }),
    );
    const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
      expect(canonicalJson(a) === canonicalJson(b)).to.equal(isDeepStrictEqual(asJson(a), asJson(b)));
    }));
  });

  it('parseBrokers takes host:port lists; parseTopicsPrefix takes an Airy namespace with or without its dot', () => {
    expect(parseBrokers('kafka:9092, 10.0.0.2:9093')).to.deep.equal(['kafka:9092', '10.0.0.2:9093']);
    for (const wrong of ['', 'kafka', 'kafka:port', ':9092', 'a b:1']) expect(() => parseBrokers(wrong), wrong).to.throw(/--brokers/).with.property('code', 'CLI_USAGE');
    expect([parseTopicsPrefix('airy'), parseTopicsPrefix('my-ns.')]).to.deep.equal(['airy', 'my-ns']);
    for (const wrong of ['', '.', 'a.b', 'x'.repeat(65)]) expect(() => parseTopicsPrefix(wrong), wrong).to.throw(/--topics-prefix/).with.property('code', 'CLI_USAGE');
  });
});
