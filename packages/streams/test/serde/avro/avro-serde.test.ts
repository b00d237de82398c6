import { expect } from 'chai';
import fc from 'fast-check';
import avsc from 'avsc';
import { avroFingerprint, avroSerde, type AvroSchema } from '../../../src/avro.js';
import { expectStreamsError, thrownBy } from '../serde-test-helpers.js';
import { avroArbitrary } from './avro-arbitrary.js';
import { EVERYTHING, USER_V1, USER_V2 } from './schemas.js';

interface UserV1 {
  id: string;
  age: number;
  nickname: string | null;
  tags: string[];
}

const ALICE: UserV1 = { id: 'u-1', age: 42, nickname: 'al', tags: ['admin', 'ops'] };

describe('Serde > Avro > AvroSerde', () => {
  it('writes the single-object encoding: C3 01, the 8-byte fingerprint, then the Avro body', () => {
    const serde = avroSerde<UserV1>(USER_V1);
    const bytes = serde.serialize(ALICE);
    const body = avsc.Type.forSchema(USER_V1 as avsc.Schema).toBuffer(ALICE);
    expect([...bytes.subarray(0, 2)]).to.deep.equal([0xc3, 0x01]);
    expect(bytes.toString('hex', 2, 10)).to.equal(avroFingerprint(USER_V1));
    expect(bytes.subarray(10).equals(body)).to.equal(true);
  });

  it('exposes the hex fingerprint of its schema', () => {
    expect(avroSerde(USER_V1).fingerprint).to.equal(avroFingerprint(USER_V1)).and.match(/^[0-9a-f]{16}$/);
  });

  it('round-trips a record', () => {
    const serde = avroSerde<UserV1>(USER_V1);
    expect(serde.deserialize(serde.serialize(ALICE))).to.deep.equal(ALICE);
  });

  it('round-trips records generated from a schema with every Avro type', () => {
    const serde = avroSerde<unknown>(EVERYTHING);
    fc.assert(
      fc.property(avroArbitrary(EVERYTHING), (record) => {
        expect(serde.deserialize(serde.serialize(record))).to.deep.equal(record);
      }),
    );
  });

  it('round-trips top-level non-record schemas too', () => {
    for (const schema of ['string', 'long', { type: 'map', values: 'int' }] as AvroSchema[]) {
      const serde = avroSerde<unknown>(schema);
      fc.assert(
        fc.property(avroArbitrary(schema), (value) => {
          expect(serde.deserialize(serde.serialize(value))).to.deep.equal(value);
        }),
        { numRuns: 30 },
      );
    }
  });

  it('round-trips records larger than its reusable encode buffer', () => {
    const serde = avroSerde<UserV1>(USER_V1);
    for (const count of [10, 200, 20_000]) {
      const user = { ...ALICE, tags: Array.from({ length: count }, (_, i) => `tag-${i}`) };
      expect(serde.deserialize(serde.serialize(user))).to.deep.equal(user);
    }
  });

  it('returns a buffer of its own on each call, untouched by the next serialize', () => {
    const serde = avroSerde<UserV1>(USER_V1);
    const first = serde.serialize(ALICE);
    const copy = Buffer.from(first);
    serde.serialize({ ...ALICE, id: 'someone-else-entirely', tags: ['x'] });
    expect(first.equals(copy)).to.equal(true);
  });

  it('passes null through both ways', () => {
    const serde = avroSerde<UserV1 | null>(USER_V1);
    expect(serde.serialize(null)).to.equal(null);
    expect(serde.deserialize(null as unknown as Buffer)).to.equal(null);
  });

  it('refuses a value that does not match the schema with STREAMS_SERDE_ENCODE', () => {
    const serde = avroSerde<unknown>(USER_V1);
    const wrongType = expectStreamsError(() => serde.serialize({ ...ALICE, age: 'old' }, 'users'), 'STREAMS_SERDE_ENCODE');
    expect(wrongType.cause).to.be.instanceOf(Error);
    expectStreamsError(() => serde.serialize({ id: 'u-2' }), 'STREAMS_SERDE_ENCODE');
    expectStreamsError(() => serde.serialize({ ...ALICE, age: 2 ** 40 }), 'STREAMS_SERDE_ENCODE');
  });

  it('refuses a long below -2^52, which avsc would silently encode as another number', () => {
    const serde = avroSerde<number>('long');
    expect(serde.deserialize(serde.serialize(-(2 ** 52)))).to.equal(-(2 ** 52));
    expectStreamsError(() => serde.serialize(-(2 ** 52) - 1), 'STREAMS_SERDE_ENCODE');
    const inRecord = avroSerde<unknown>(USER_V2);
    expectStreamsError(() => inRecord.serialize({ id: 'x', age: -(2 ** 53) + 2, tags: [] }), 'STREAMS_SERDE_ENCODE');
  });

  it('decodes records as plain data, without avsc\'s record methods', () => {
    const serde = avroSerde<UserV1>(USER_V1);
    const decoded = serde.deserialize(serde.serialize(ALICE));
    const keys: string[] = [];
    for (const key in decoded) keys.push(key);
    expect(keys).to.deep.equal(['id', 'age', 'nickname', 'tags']);
  });

  it('still encodes correctly after a refused value', () => {
    const serde = avroSerde<unknown>(USER_V1);
    expectStreamsError(() => serde.serialize({ ...ALICE, tags: ['a', 7] }), 'STREAMS_SERDE_ENCODE');
    expect(serde.deserialize(serde.serialize(ALICE))).to.deep.equal(ALICE);
  });

  it('throws a plain TypeError for an invalid schema or an avsc Type', () => {
    expect(thrownBy(() => avroSerde({ type: 'nope' } as unknown as AvroSchema))).to.be.instanceOf(TypeError);
    const type = avsc.Type.forSchema('string');
    expect(thrownBy(() => avroSerde(type as unknown as AvroSchema))).to.be.instanceOf(TypeError);
  });

  it('honours avsc type options such as logical types', () => {
    class DateType extends avsc.types.LogicalType {
      override _fromValue(value: number): Date {
        return new Date(value);
      }
      override _toValue(value: unknown): number | undefined {
        return value instanceof Date ? value.getTime() : undefined;
      }
    }
    const schema = { type: 'long', logicalType: 'timestamp-millis' } as AvroSchema;
    const serde = avroSerde<Date>(schema, { typeOptions: { logicalTypes: { 'timestamp-millis': DateType } } });
    const when = new Date(1_700_000_000_123);
    expect(serde.deserialize(serde.serialize(when))).to.deep.equal(when);
    expect(serde.fingerprint).to.equal(avroFingerprint('long'));
  });
});
