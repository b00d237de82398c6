import { expect } from 'chai';
import { AvroSchemaRegistry, avroFingerprint, avroSerde, type AvroSchema } from '../../../src/avro.js';
import { TopicError } from '../../../src/errors.js';
import { expectStreamsError } from '../serde-test-helpers.js';
import { USER_V1, USER_V2, USER_V3 } from './schemas.js';

const V1_RECORD = { id: 'u-1', age: 42, nickname: 'al', tags: ['a', 'b'] };

/** A registry that counts lookups, to observe the serde's resolver cache. */
class CountingRegistry extends AvroSchemaRegistry {
  lookups = 0;
  override get(fingerprint: string) {
    this.lookups++;
    return super.get(fingerprint);
  }
}

describe('Serde > Avro > schema evolution', () => {
  function v1Bytes(record: object = V1_RECORD): Buffer {
    return avroSerde<object>(USER_V1).serialize(record);
  }

  it('reads a v1 record with the v2 schema: added field defaulted, removed field dropped, int promoted to long', () => {
    const registry = new AvroSchemaRegistry({ schemas: [USER_V1] });
    const v2 = avroSerde<object>(USER_V2, { registry });
    expect(v2.deserialize(v1Bytes())).to.deep.equal({
      id: 'u-1',
      age: 42,
      tags: ['a', 'b'],
      email: 'unknown@example.com',
    });
  });

  it('reads a record from a newer writer that only added a field with the older schema (forward compatibility)', () => {
    const newer = { ...USER_V1, fields: [...USER_V1.fields, { name: 'email', type: 'string', default: '' }] };
    const registry = new AvroSchemaRegistry({ schemas: [newer as AvroSchema] });
    const v1 = avroSerde<object>(USER_V1, { registry });
    const bytes = avroSerde<object>(newer as AvroSchema).serialize({ ...V1_RECORD, email: 'x@y.z' });
    expect(v1.deserialize(bytes)).to.deep.equal(V1_RECORD);
  });

  it('refuses to narrow a long written by v2 into v1\'s int with STREAMS_SCHEMA_INCOMPATIBLE', () => {
    const registry = new AvroSchemaRegistry({ schemas: [USER_V2] });
    const v1 = avroSerde<object>(USER_V1, { registry });
    const bytes = avroSerde<object>(USER_V2).serialize({ id: 'u-2', age: 7, tags: [], email: 'x@y.z' });
    expectStreamsError(() => v1.deserialize(bytes), 'STREAMS_SCHEMA_INCOMPATIBLE');
  });

  it('promotes int to long, float and double, and string to bytes', () => {
    const writer = { type: 'record', name: 'N', fields: [
      { name: 'a', type: 'int' }, { name: 'b', type: 'int' }, { name: 'c', type: 'long' }, { name: 's', type: 'string' },
    ] } as const satisfies AvroSchema;
    const reader = { type: 'record', name: 'N', fields: [
      { name: 'a', type: 'long' }, { name: 'b', type: 'float' }, { name: 'c', type: 'double' }, { name: 's', type: 'bytes' },
    ] } as const satisfies AvroSchema;
    const registry = new AvroSchemaRegistry({ schemas: [writer] });
    const bytes = avroSerde<object>(writer).serialize({ a: -5, b: 3, c: 2 ** 40, s: 'hé' });
    expect(avroSerde<object>(reader, { registry }).deserialize(bytes)).to.deep.equal({
      a: -5, b: 3, c: 2 ** 40, s: Buffer.from('hé', 'utf8'),
    });
  });

  it('skips a removed field that holds nested arrays and maps', () => {
    const writer = { type: 'record', name: 'R', fields: [
      { name: 'gone', type: { type: 'array', items: { type: 'map', values: { type: 'array', items: 'string' } } } },
      { name: 'kept', type: 'string' },
    ] } as const satisfies AvroSchema;
    const reader = { type: 'record', name: 'R', fields: [{ name: 'kept', type: 'string' }] } as const satisfies AvroSchema;
    const registry = new AvroSchemaRegistry({ schemas: [writer] });
    const bytes = avroSerde<object>(writer).serialize({ gone: [{ k: ['x', 'y'] }, {}, { z: [] }], kept: 'yes' });
    expect(avroSerde<object>(reader, { registry }).deserialize(bytes)).to.deep.equal({ kept: 'yes' });
  });

  it('refuses a writer schema that cannot be read as the reader schema with STREAMS_SCHEMA_INCOMPATIBLE', () => {
    const registry = new AvroSchemaRegistry({ schemas: [USER_V1] });
    const v3 = avroSerde<object>(USER_V3, { registry });
    const err = expectStreamsError(() => v3.deserialize(v1Bytes(), 'users'), 'STREAMS_SCHEMA_INCOMPATIBLE');
    expect(err).to.be.instanceOf(TopicError);
    expect(err.cause).to.be.instanceOf(Error);
    // The verdict is cached; the second record fails the same way.
    expectStreamsError(() => v3.deserialize(v1Bytes()), 'STREAMS_SCHEMA_INCOMPATIBLE');
  });

  it('refuses an added field without a default with STREAMS_SCHEMA_INCOMPATIBLE', () => {
    const noDefault = { ...USER_V2, fields: [...USER_V2.fields.slice(0, 3), { name: 'email', type: 'string' }] };
    const registry = new AvroSchemaRegistry({ schemas: [USER_V1] });
    expectStreamsError(
      () => avroSerde<object>(noDefault as AvroSchema, { registry }).deserialize(v1Bytes()),
      'STREAMS_SCHEMA_INCOMPATIBLE',
    );
  });

  it('refuses a record of another type in the same registry with STREAMS_SCHEMA_INCOMPATIBLE', () => {
    const other = { type: 'record', name: 'Other', fields: [{ name: 'x', type: 'int' }] } as const satisfies AvroSchema;
    const registry = new AvroSchemaRegistry({ schemas: [other] });
    const users = avroSerde<object>(USER_V1, { registry });
    const bytes = avroSerde<object>(other).serialize({ x: 1 });
    expectStreamsError(() => users.deserialize(bytes), 'STREAMS_SCHEMA_INCOMPATIBLE');
  });

  it('refuses an unknown writer fingerprint with STREAMS_SERDE_DECODE, and reads it once registered', () => {
    const registry = new AvroSchemaRegistry();
    const v2 = avroSerde<{ id: string }>(USER_V2, { registry });
    const bytes = v1Bytes();
    const err = expectStreamsError(() => v2.deserialize(bytes, 'users'), 'STREAMS_SERDE_DECODE');
    expect(err.message).to.contain(avroFingerprint(USER_V1));
    registry.register(USER_V1);
    expect(v2.deserialize(bytes).id).to.equal('u-1');
  });

  it('looks each writer schema up once and reuses its resolver for later records', () => {
    const registry = new CountingRegistry({ schemas: [USER_V1] });
    const v2 = avroSerde<{ age: number }>(USER_V2, { registry });
    const own = v2.serialize({ id: 'n', age: 1, tags: [], email: 'e' } as never);
    for (let i = 0; i < 50; i++) {
      expect(v2.deserialize(v1Bytes({ ...V1_RECORD, age: i })).age).to.equal(i);
      expect(v2.deserialize(own).age).to.equal(1);
    }
    expect(registry.lookups).to.equal(1);
  });
});
