import { expect } from 'chai';
import { crc64Avro } from '../../../src/serde/avro/crc64-avro.js';

// Parsing Canonical Forms and their fingerprints (as Java signed longs) from the Avro
// project's share/test/data/schema-tests.txt, which Java's reference implementation checks.
export const SPEC_VECTORS: Array<[canonical: string, fingerprint: bigint]> = [
  ['"null"', 7195948357588979594n],
  ['"boolean"', -6970731678124411036n],
  ['"int"', 8247732601305521295n],
  ['"long"', -3434872931120570953n],
  ['"float"', 5583340709985441680n],
  ['"double"', -8181574048448539266n],
  ['"bytes"', 5746618253357095269n],
  ['"string"', -8142146995180207161n],
  ['[]', -1241056759729112623n],
  ['["int"]', -5232228896498058493n],
  ['["int","boolean"]', 5392556393470105090n],
  ['{"name":"foo","type":"record","fields":[]}', -4824392279771201922n],
  ['{"name":"x.y.foo","type":"record","fields":[]}', 5916914534497305771n],
  ['{"name":"a.b.foo","type":"record","fields":[]}', -4616218487480524110n],
  ['{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}', 7843277075252814651n],
  [
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    -4860222112080293046n,
  ],
  ['{"name":"foo","type":"enum","symbols":["A1"]}', -6342190197741309591n],
  ['{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}', -4448647247586288245n],
  ['{"name":"foo","type":"fixed","size":15}', 1756455273707447556n],
  ['{"name":"x.y.z.foo","type":"fixed","size":32}', -3064184465700546786n],
  ['{"type":"array","items":"null"}', -589620603366471059n],
  ['{"type":"map","values":"string"}', -8732877298790414990n],
  [
    '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
    -1759257747318642341n,
  ],
];

describe('Serde > Avro > crc64Avro', () => {
  for (const [canonical, expected] of SPEC_VECTORS) {
    it(`fingerprints ${canonical} as the Avro specification's vector says`, () => {
      expect(BigInt.asIntN(64, crc64Avro(Buffer.from(canonical, 'utf8')))).to.equal(expected);
    });
  }

  it('fingerprints the empty input as the algorithm\'s initial value', () => {
    expect(crc64Avro(new Uint8Array(0))).to.equal(0xc15d213aa4d7a795n);
  });
});
