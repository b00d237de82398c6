import { expect } from 'chai';
import { avroFingerprint, type AvroSchema } from '../../../src/avro.js';
import { thrownBy } from '../serde-test-helpers.js';
import { USER_V1, USER_V2 } from './schemas.js';

/** The hex fingerprint as written in the header: the signed 64-bit value, little-endian. */
function wireHex(fingerprint: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(fingerprint, 0);
  return bytes.toString('hex');
}

// Inputs (not canonical) from the Avro project's share/test/data/schema-tests.txt, with the
// fingerprint of their canonical form: they check that avsc's schema() is the Parsing
// Canonical Form (full names, attributes stripped and ordered, primitives simplified).
const CANONICALIZATION_VECTORS: Array<[input: unknown, fingerprint: bigint]> = [
  [{ type: 'null' }, 7195948357588979594n],
  [{ type: 'boolean' }, -6970731678124411036n],
  ['int', 8247732601305521295n],
  [['int', { type: 'boolean' }], 5392556393470105090n],
  [{ fields: [], type: 'record', name: 'foo', namespace: 'x.y' }, 5916914534497305771n],
  [{ fields: [], type: 'record', name: 'a.b.foo', namespace: 'x.y' }, -4616218487480524110n],
  [{ fields: [], type: 'record', name: 'foo', doc: 'foo', aliases: ['foo', 'bar'] }, -4824392279771201922n],
  [
    {
      fields: [
        { type: 'boolean', aliases: [], name: 'f1', default: true },
        { order: 'descending', name: 'f2', doc: 'Hello', type: 'int' },
      ],
      type: 'record',
      name: 'foo',
    },
    -4860222112080293046n,
  ],
  [{ namespace: 'x.y.z', type: 'enum', name: 'foo', doc: 'foo bar', symbols: ['A1', 'A2'] }, -4448647247586288245n],
  [{ namespace: 'x.y.z', type: 'fixed', name: 'foo', doc: 'foo bar', size: 32 }, -3064184465700546786n],
  [{ items: { type: 'null' }, type: 'array' }, -589620603366471059n],
  [{ values: 'string', type: 'map' }, -8732877298790414990n],
  [
    { name: 'PigValue', type: 'record', fields: [{ name: 'value', type: ['null', 'int', 'long', 'PigValue'] }] },
    -1759257747318642341n,
  ],
];

describe('Serde > Avro > avroFingerprint', () => {
  for (const [input, fingerprint] of CANONICALIZATION_VECTORS) {
    it(`fingerprints ${JSON.stringify(input)} by its Parsing Canonical Form`, () => {
      expect(avroFingerprint(input as AvroSchema)).to.equal(wireHex(fingerprint));
    });
  }

  it('ignores docs, aliases and defaults, which do not change the bytes on the wire', () => {
    const documented = { ...USER_V1, doc: 'documented', aliases: ['Person'] };
    expect(avroFingerprint(documented)).to.equal(avroFingerprint(USER_V1));
  });

  it('changes when the shape changes', () => {
    expect(avroFingerprint(USER_V2)).not.to.equal(avroFingerprint(USER_V1));
  });

  it('throws a plain TypeError for an invalid schema', () => {
    const err = thrownBy(() => avroFingerprint({ type: 'record', name: 'Bad' } as unknown as AvroSchema));
    expect(err).to.be.instanceOf(TypeError);
  });
});
