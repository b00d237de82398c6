import { expect } from 'chai';
import fc from 'fast-check';
import avsc from 'avsc';
import { AvroSchemaRegistry, avroSerde, type AvroSchema } from '../../../src/avro.js';
import { decodesOrFailsWith, expectStreamsError } from '../serde-test-helpers.js';
import { avroArbitrary } from './avro-arbitrary.js';
import { EVERYTHING, USER_V1, USER_V2 } from './schemas.js';

const DECODE_CODES = ['STREAMS_SERDE_DECODE', 'STREAMS_SCHEMA_INCOMPATIBLE'] as const;

/** Avro's zig-zag varint encoding of a long, as avsc writes it. */
function varint(n: number): Buffer {
  return avsc.Type.forSchema('long').toBuffer(n);
}

describe('Serde > Avro > hostile bytes', () => {
  const everything = avroSerde<unknown>(EVERYTHING);
  const header = everything.serialize(fc.sample(avroArbitrary(EVERYTHING), 1)[0]).subarray(0, 10);
  const v2 = avroSerde<unknown>(USER_V2, { registry: new AvroSchemaRegistry({ schemas: [USER_V1] }) });
  const v1Header = avroSerde<unknown>(USER_V1).serialize({ id: '', age: 0, nickname: null, tags: [] }).subarray(0, 10);

  it('turns random bytes into a StreamsError with a decode code, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) =>
        decodesOrFailsWith(() => everything.deserialize(Buffer.from(bytes)), DECODE_CODES),
      ),
    );
  });

  it('refuses random bytes behind a random fingerprint with STREAMS_SERDE_DECODE', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 40 }), (bytes) => {
        expectStreamsError(
          () => everything.deserialize(Buffer.concat([Buffer.from([0xc3, 0x01]), bytes])),
          'STREAMS_SERDE_DECODE',
        );
      }),
    );
  });

  it('decodes random bodies behind its own fingerprint to a value or STREAMS_SERDE_DECODE', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (body) =>
        decodesOrFailsWith(() => everything.deserialize(Buffer.concat([header, body])), ['STREAMS_SERDE_DECODE']),
      ),
      { numRuns: 500 },
    );
  });

  it('decodes random bodies behind an older writer\'s fingerprint (resolver path) to a value or STREAMS_SERDE_DECODE', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (body) =>
        decodesOrFailsWith(() => v2.deserialize(Buffer.concat([v1Header, body])), ['STREAMS_SERDE_DECODE']),
      ),
      { numRuns: 500 },
    );
  });

  it('decodes corrupted records to a value or STREAMS_SERDE_DECODE', () => {
    fc.assert(
      fc.property(
        avroArbitrary(EVERYTHING),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (record, flips) => {
          const bytes = Buffer.from(everything.serialize(record));
          for (const [at, value] of flips) bytes[10 + (at % (bytes.length - 10))] = value;
          return decodesOrFailsWith(() => everything.deserialize(bytes), ['STREAMS_SERDE_DECODE']);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses every truncation of a valid record with STREAMS_SERDE_DECODE', () => {
    fc.assert(
      fc.property(avroArbitrary(EVERYTHING), fc.nat(), (record, cut) => {
        const bytes = everything.serialize(record);
        const truncated = bytes.subarray(0, cut % bytes.length);
        expectStreamsError(() => everything.deserialize(truncated), 'STREAMS_SERDE_DECODE');
      }),
      { numRuns: 200 },
    );
  });

  it('refuses trailing bytes after a valid record with STREAMS_SERDE_DECODE', () => {
    const bytes = everything.serialize(fc.sample(avroArbitrary(EVERYTHING), 1)[0]);
    expectStreamsError(() => everything.deserialize(Buffer.concat([bytes, Buffer.from([0])])), 'STREAMS_SERDE_DECODE');
  });

  it('refuses an empty buffer and Confluent\'s wire format (magic 0, schema id) with STREAMS_SERDE_DECODE', () => {
    expectStreamsError(() => everything.deserialize(Buffer.alloc(0)), 'STREAMS_SERDE_DECODE');
    const confluent = Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), Buffer.from('body')]);
    expectStreamsError(() => everything.deserialize(confluent), 'STREAMS_SERDE_DECODE');
  });

  describe('collections', () => {
    const strings = avroSerde<string[]>({ type: 'array', items: 'string' });
    const nulls = avroSerde<null[]>({ type: 'array', items: 'null' });
    const longs = avroSerde<Record<string, number>>({ type: 'map', values: 'long' });
    const head = (serde: { serialize(v: never): Buffer }, empty: unknown) =>
      serde.serialize(empty as never).subarray(0, 10);

    it('refuses an array claiming 2^31 items after a few bytes, quickly and without exhausting memory', () => {
      const bytes = Buffer.concat([head(strings, []), varint(2 ** 31), varint(1), Buffer.from('a')]);
      const started = Date.now();
      expectStreamsError(() => strings.deserialize(bytes), 'STREAMS_SERDE_DECODE');
      expect(Date.now() - started).to.be.below(1000);
    });

    it('refuses a map claiming 2^40 entries with STREAMS_SERDE_DECODE', () => {
      const bytes = Buffer.concat([head(longs, {}), varint(2 ** 40), varint(1), Buffer.from('k'), varint(5)]);
      expectStreamsError(() => longs.deserialize(bytes), 'STREAMS_SERDE_DECODE');
    });

    it('refuses more zero-width items than the cap, but reads a long array of nulls', () => {
      const tooMany = Buffer.concat([head(nulls, []), varint(2 ** 30), varint(0)]);
      expectStreamsError(() => nulls.deserialize(tooMany), 'STREAMS_SERDE_DECODE');
      const thousand = nulls.serialize(new Array<null>(1000).fill(null));
      expect(nulls.deserialize(thousand)).to.have.length(1000);
    });

    it('reads blocks written with a negative count and a byte size, as the spec allows', () => {
      const body = Buffer.concat([Buffer.from([2]), Buffer.from('a'), Buffer.from([2]), Buffer.from('b')]);
      const bytes = Buffer.concat([head(strings, []), varint(-2), varint(body.length), body, varint(0)]);
      expect(strings.deserialize(bytes)).to.deep.equal(['a', 'b']);
    });

    it('skips a removed field\'s sized block, and refuses a negative block size there instead of looping', () => {
      const writer = { type: 'record', name: 'R', fields: [
        { name: 'gone', type: { type: 'array', items: 'string' } },
        { name: 'kept', type: 'int' },
      ] } as const satisfies AvroSchema;
      const reader = { type: 'record', name: 'R', fields: [{ name: 'kept', type: 'int' }] } as const satisfies AvroSchema;
      const serde = avroSerde<{ kept: number }>(reader, { registry: new AvroSchemaRegistry({ schemas: [writer] }) });
      const writerHead = avroSerde<unknown>(writer).serialize({ gone: [], kept: 0 }).subarray(0, 10);
      const items = Buffer.concat([Buffer.from([2]), Buffer.from('a')]);
      const sized = Buffer.concat([writerHead, varint(-1), varint(items.length), items, varint(0), varint(9)]);
      expect(serde.deserialize(sized)).to.deep.equal({ kept: 9 });
      // Size -2 jumps back to the block's own start: avsc alone would loop there forever.
      const backwards = Buffer.concat([writerHead, varint(-1), varint(-2), varint(0), varint(9)]);
      expectStreamsError(() => serde.deserialize(backwards), 'STREAMS_SERDE_DECODE');
    });

    it('keeps a "__proto__" map key as an ordinary entry', () => {
      const entry = JSON.parse('{"__proto__": 5}') as Record<string, number>;
      const decoded = longs.deserialize(longs.serialize(entry));
      expect(Object.keys(decoded)).to.deep.equal(['__proto__']);
      expect(Object.getPrototypeOf(decoded)).to.equal(Object.prototype);
    });
  });
});
