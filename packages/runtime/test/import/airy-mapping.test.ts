import { expect } from 'chai';
import fc from 'fast-check';
import { modelSerdes } from '@parley/communication';
import { metadataId } from '@parley/schemas';
import { avroSerde, type AvroSchema } from '@parley/streams/avro';
import { AIRY_MESSAGE_SCHEMA, AIRY_METADATA_SCHEMA, type AiryMessage, type AiryMetadata } from '../../src/import/airy/airy-schemas.js';
import { mapMessage, mapMetadata } from '../../src/import/airy/airy-mapping.js';
import { confluentFrame } from '../../src/import/airy/confluent-frame.js';
import { AiryRecordDecoder, type Decoded } from '../../src/import/airy/airy-record-decoder.js';

const airyMessageType = avroSerde(AIRY_MESSAGE_SCHEMA as unknown as AvroSchema).type;
const airyMetadataType = avroSerde(AIRY_METADATA_SCHEMA as unknown as AvroSchema).type;
const messages = new AiryRecordDecoder({ schema: AIRY_MESSAGE_SCHEMA });
const metadata = new AiryRecordDecoder({ schema: AIRY_METADATA_SCHEMA });
const decodeAiry = (bytes: Buffer, decoder: AiryRecordDecoder): Decoded => decoder.decode(bytes);
const serdes = modelSerdes();

const uuid = fc.uuid({ version: 5 }).map((u) => u.toLowerCase());
const time = fc.integer({ min: 0, max: 4_102_444_800_000 });
const airyMessage: fc.Arbitrary<AiryMessage> = fc.record({
  id: uuid,
  headers: fc.option(fc.dictionary(fc.string(), fc.string()), { nil: null }),
  isFromContact: fc.boolean(),
  deliveryState: fc.constantFrom('PENDING', 'FAILED', 'DELIVERED'),
  senderId: fc.string(),
  sourceRecipientId: fc.option(fc.string(), { nil: null }),
  conversationId: uuid,
  channelId: uuid,
  source: fc.constantFrom('facebook', 'twilio.sms', 'chatplugin', 'my-source'),
  content: fc.oneof(fc.string(), fc.json()),
  sentAt: time,
  updatedAt: fc.option(time, { nil: null }),
});

describe('Runtime > import > Airy records onto Parley', () => {
  it('a message written by Airy (Confluent-framed Avro) decodes, maps and survives Parley\'s serde with every field and its id', () => {
    fc.assert(
      fc.property(airyMessage, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (message, schemaId) => {
        const decoded = decodeAiry(confluentFrame(schemaId, airyMessageType.toBuffer(message)), messages);
        expect(decoded).to.deep.equal({ value: message, schemaId });
        const result = mapMessage((decoded as { value: AiryMessage }).value);
        if (result.outcome !== 'mapped') throw new Error(result.reason);
        const parley = serdes.message.deserialize(serdes.message.serialize(result.write.record as never));
        const { isFromContact, ...same } = message;
        expect(parley).to.deep.include({ ...same, senderType: isFromContact ? 'CONTACT' : 'USER' });
        expect([result.write.topic, result.write.key]).to.deep.equal(['application.communication.messages', message.id]);
      }),
    );
  });

  it('refuses bytes that are not exactly one framed record, with a reason, never throwing', () => {
    fc.assert(
      fc.property(airyMessage, fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat(), (message, extra, cut) => {
        const framed = confluentFrame(1, airyMessageType.toBuffer(message));
        const results = [decodeAiry(Buffer.concat([framed, Buffer.from(extra)]), messages), decodeAiry(framed.subarray(0, Math.min(cut, framed.length - 1)), messages)];
        for (const r of results) expect(r).to.have.property('reason').that.is.a('string');
      }),
    );
    expect(decodeAiry(Buffer.from('{"id":"x"}'), messages)).to.deep.include({ reason: 'not in the schema registry wire format (magic byte 0, schema id, Avro body)' });
  });

  it('metadata numbers written as doubles read back as the same number; values that do not read as their type are refused', () => {
    fc.assert(
      fc.property(uuid, fc.double({ noNaN: true, noDefaultInfinity: true }), time, (id, n, timestamp) => {
        const text = Number.isInteger(n) && Math.abs(n) < 1e7 ? n.toFixed(1) : String(n); // Java's Double.toString style
        const record: AiryMetadata = { subject: `conversation:${id}`, key: 'user_data.score', value: text, valueType: 'number', timestamp };
        const decoded = decodeAiry(confluentFrame(3, airyMetadataType.toBuffer(record)), metadata) as { value: AiryMetadata };
        const result = mapMetadata(decoded.value, 'application.communication.metadata');
        if (result.outcome !== 'mapped') throw new Error(result.reason);
        expect(JSON.parse((result.write.record as { value: string }).value)).to.equal(Object.is(n, -0) ? 0 : n);
      }),
    );
    const base = { subject: `conversation:${'0'.repeat(8)}-0000-5000-8000-${'0'.repeat(12)}`, key: 'k', timestamp: 1 };
    for (const [value, valueType] of [['many', 'number'], ['yes', 'bool'], ['{}', 'array'], ['[1]', 'object']] as const) {
      expect(mapMetadata({ ...base, value, valueType }, 't')).to.deep.equal({ outcome: 'bad', reason: `value does not read as ${valueType}` });
    }
    expect(mapMetadata({ ...base, key: 'a..b', value: 'x', valueType: 'text' }, 't').outcome).to.equal('bad');
    expect(mapMetadata({ ...base, subject: 'component:x', value: 'x', valueType: 'text' }, 't').outcome).to.equal('skipped');
  });

  it("gives a contact's camelCase attributes Parley's names, and the record key that goes with them; other subjects keep Airy's keys", () => {
    const contact = `contact:${'1'.repeat(8)}-1111-4111-8111-${'1'.repeat(12)}`;
    const keyOf = (subject: string, key: string) => {
      const result = mapMetadata({ subject, key, value: 'x', valueType: 'text', timestamp: 1 }, 't');
      if (result.outcome !== 'mapped') throw new Error(result.reason);
      const record = result.write.record as { key: string };
      expect(result.write.key, `${subject} ${key}`).to.equal(metadataId(subject, record.key));
      return record.key;
    };
    expect(['displayName', 'avatarUrl', 'organizationName', 'address.organizationName', 'address.city', 'title', 'via.phone'].map((k) => keyOf(contact, k))).to.deep.equal([
      'display_name',
      'avatar_url',
      'organization_name',
      'address.organization_name',
      'address.city',
      'title',
      'via.phone',
    ]);
    expect(keyOf(`conversation:${'0'.repeat(8)}-0000-5000-8000-${'0'.repeat(12)}`, 'displayName')).to.equal('displayName');
  });
});
