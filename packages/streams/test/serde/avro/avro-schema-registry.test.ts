import { expect } from 'chai';
import { AvroSchemaRegistry, avroFingerprint, type AvroSchema } from '../../../src/avro.js';
import { thrownBy } from '../serde-test-helpers.js';
import { USER_V1, USER_V2 } from './schemas.js';

describe('Serde > Avro > AvroSchemaRegistry', () => {
  it('registers a schema under its fingerprint', () => {
    const registry = new AvroSchemaRegistry();
    const fingerprint = registry.register(USER_V1);
    expect(fingerprint).to.equal(avroFingerprint(USER_V1));
    expect(registry.has(fingerprint)).to.equal(true);
    expect(registry.get(fingerprint)?.schema()).to.deep.equal(
      (registry.get(avroFingerprint(USER_V1)) ?? expect.fail('missing')).schema(),
    );
  });

  it('holds two versions of the same named record side by side', () => {
    const registry = new AvroSchemaRegistry({ schemas: [USER_V1, USER_V2] });
    expect(registry.size).to.equal(2);
    expect(registry.fingerprints()).to.deep.equal([avroFingerprint(USER_V1), avroFingerprint(USER_V2)]);
    const v2 = registry.get(avroFingerprint(USER_V2)) ?? expect.fail('missing v2');
    expect((v2.schema() as { fields: Array<{ name: string }> }).fields.map((f) => f.name)).to.include('email');
  });

  it('treats registering the same canonical schema again as a no-op', () => {
    const registry = new AvroSchemaRegistry({ schemas: [USER_V1] });
    const first = registry.get(avroFingerprint(USER_V1));
    registry.register({ ...USER_V1, doc: 'same shape, new doc' });
    expect(registry.size).to.equal(1);
    expect(registry.get(avroFingerprint(USER_V1))).to.equal(first);
  });

  it('accepts fingerprints in upper case', () => {
    const registry = new AvroSchemaRegistry({ schemas: [USER_V1] });
    expect(registry.has(avroFingerprint(USER_V1).toUpperCase())).to.equal(true);
  });

  it('answers undefined for an unknown fingerprint', () => {
    expect(new AvroSchemaRegistry().get('0011223344556677')).to.equal(undefined);
  });

  it('throws a plain TypeError for an invalid schema', () => {
    const err = thrownBy(() => new AvroSchemaRegistry().register({ type: 'enum', name: 'E' } as unknown as AvroSchema));
    expect(err).to.be.instanceOf(TypeError);
  });
});
