import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamsError, TopicError } from '../../src/errors.js';
import { Serdes } from '../../src/serde/serdes.js';
import type { Serde } from '../../src/serde/types.js';
import { expectStreamsError, thrownBy } from './serde-test-helpers.js';

const ALL: Array<[string, Serde<unknown>]> = [
  ['string', Serdes.string() as Serde<unknown>],
  ['json', Serdes.json()],
  ['bytes', Serdes.bytes() as Serde<unknown>],
  ['int32', Serdes.int32() as Serde<unknown>],
  ['int64', Serdes.int64() as Serde<unknown>],
  ['float64', Serdes.float64() as Serde<unknown>],
];

describe('Serde > Serdes', () => {
  it('gives each built-in serde a distinct fingerprint that stays the same across instances', () => {
    const fingerprints = ALL.map(([, serde]) => serde.fingerprint);
    expect(new Set(fingerprints).size).to.equal(ALL.length);
    expect(Serdes.string().fingerprint).to.equal(Serdes.string({ strict: true }).fingerprint);
    expect(Serdes.json().fingerprint).to.equal(Serdes.json().fingerprint);
  });

  for (const [name, serde] of ALL) {
    it(`passes null through both ways in the ${name} serde (tombstones, null keys)`, () => {
      expect(serde.serialize(null, 'topic')).to.equal(null);
      expect(serde.deserialize(null as unknown as Buffer, 'topic')).to.equal(null);
    });

    it(`throws a plain TypeError when the ${name} serde is handed something other than bytes`, () => {
      const err = thrownBy(() => serde.deserialize('not bytes' as unknown as Buffer));
      expect(err).to.be.instanceOf(TypeError);
      expect(err).not.to.be.instanceOf(StreamsError);
    });
  }

  it('throws a TopicError naming the topic when the caller gives one', () => {
    const err = expectStreamsError(
      () => Serdes.json().deserialize(Buffer.from('{'), 'orders'),
      'STREAMS_SERDE_DECODE',
    );
    expect(err).to.be.instanceOf(TopicError);
    expect((err as TopicError).topic).to.equal('orders');
  });

  it('throws a StreamsError that is not a TopicError when no topic is given', () => {
    const err = expectStreamsError(() => Serdes.int32().deserialize(Buffer.alloc(3)), 'STREAMS_SERDE_DECODE');
    expect(err).not.to.be.instanceOf(TopicError);
  });

  it('keeps the underlying error as the cause', () => {
    const err = expectStreamsError(() => Serdes.json().deserialize(Buffer.from('nope')), 'STREAMS_SERDE_DECODE');
    expect(err.cause).to.be.instanceOf(SyntaxError);
  });

  it('never loads avsc from the core serdes (Avro is only behind the avro subpath)', () => {
    const dir = join(fileURLToPath(import.meta.url), '../../../src/serde');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files).to.include('serdes.ts');
    for (const file of files) {
      expect(readFileSync(join(dir, file), 'utf8'), file).not.to.match(/from ['"]avsc['"]/);
    }
  });
});
