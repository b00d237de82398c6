import { expect } from 'chai';
import fc from 'fast-check';
import { modelSerdes } from '@parley/communication';
import { facebookMessage, tag } from '@parley/communication/testing';
import { encodeInput, RecordCodec } from '../../src/api/topics/record-codec.js';

const codec = new RecordCodec();

describe('Api > topics: record codec (what topics.read shows)', () => {
  it('shows a model record by its writer schema, as the plain JSON of the record', () => {
    const serdes = modelSerdes();
    const message = facebookMessage({ psid: 'p-1', mid: 'm-1', sentAt: 1_700_000_000_000, text: 'hello' });
    const decoded = codec.decode(serdes.message.serialize(message));
    expect([decoded.encoding, decoded.schema]).to.deep.equal(['avro', 'org.parley.model.Message']);
    expect(decoded.data).to.deep.equal(JSON.parse(JSON.stringify(message)));
    expect(codec.decode(serdes.tag.serialize(tag('t-1', 'VIP')))).to.deep.include({ encoding: 'avro', data: { ...tag('t-1', 'VIP') } });
  });

  it('round-trips any JSON value written by topics.produce', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        fc.pre(typeof value !== 'string' && value !== null);
        const decoded = codec.decode(encodeInput(value, false));
        expect(decoded.encoding).to.equal('json');
        expect(decoded.data).to.deep.equal(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('shows text that is not JSON as a string, and any other bytes as base64 that gives them back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (array) => {
        const bytes = Buffer.from(array);
        const decoded = codec.decode(bytes);
        expect(['avro', 'json', 'string', 'base64']).to.include(decoded.encoding);
        if (decoded.encoding === 'base64') expect(Buffer.from(decoded.data as string, 'base64').equals(bytes)).to.equal(true);
        if (decoded.encoding === 'string') expect(Buffer.from(decoded.data as string, 'utf8').equals(bytes)).to.equal(true);
      }),
    );
    expect(codec.decode(Buffer.from('plain text'))).to.deep.equal({ encoding: 'string', data: 'plain text' });
    expect(codec.decode(Buffer.from([0xff, 0x00]))).to.deep.equal({ encoding: 'base64', data: '/wA=' });
    expect(codec.decode(null)).to.deep.equal({ encoding: 'null', data: null });
  });

  it('does not take bytes that only look like Avro (marker, unknown fingerprint) for a record', () => {
    const fake = Buffer.concat([Buffer.from([0xc3, 0x01]), Buffer.alloc(8, 7), Buffer.from('x')]);
    expect(codec.decode(fake).encoding).to.equal('base64');
  });
});
