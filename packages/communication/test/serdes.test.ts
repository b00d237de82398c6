import { expect } from 'chai';
import fc from 'fast-check';
import { RECORD_NAMES, writerSchemas } from '@parley/schemas';
import { AvroSchemaRegistry, avroFingerprint, type AvroSchema } from '@parley/streams/avro';
import { decodeCursor, encodeCursor } from '../src/read-model/cursor.js';
import { communicationSerdes } from '../src/serdes.js';
import { messageOrderKey, sentBetweenRange } from '../src/topology/message-order-key.js';
import { facebookChannel, facebookMessage, tag, template } from '../src/testing.js';

describe('Communication > Serdes', () => {
  it('round-trips every record the read model reads', () => {
    const serdes = communicationSerdes();
    const message = facebookMessage({ psid: 'p', mid: 'm', sentAt: 1_700_000_000_000 });
    expect(serdes.message.deserialize(serdes.message.serialize(message))).to.deep.equal(message);
    expect(serdes.channel.deserialize(serdes.channel.serialize(facebookChannel()))).to.deep.equal(facebookChannel());
    expect(serdes.tag.deserialize(serdes.tag.serialize(tag('t', 'VIP')))).to.deep.equal(tag('t', 'VIP'));
    expect(serdes.template.deserialize(serdes.template.serialize(template('x', 'Hi')))).to.deep.equal(template('x', 'Hi'));
    const receipt = { conversationId: message.conversationId, readAt: 5, userId: null };
    expect(serdes.readReceipt.deserialize(serdes.readReceipt.serialize(receipt))).to.deep.equal(receipt);
  });

  it('registers every writer schema version of every record, so old records stay readable', () => {
    const serdes = communicationSerdes();
    for (const name of RECORD_NAMES) {
      for (const schema of writerSchemas(name)) {
        expect(serdes.registry.has(avroFingerprint(schema as AvroSchema))).to.equal(true);
      }
    }
  });

  it('shares a registry it is given', () => {
    const registry = new AvroSchemaRegistry();
    expect(communicationSerdes({ registry }).registry).to.equal(registry);
    expect(registry.size).to.be.at.least(RECORD_NAMES.length);
  });

  it('refuses bytes that are not one of its records with STREAMS_SERDE_DECODE', () => {
    let code: string | undefined;
    try {
      communicationSerdes().message.deserialize(Buffer.from('{"id":"x"}'));
    } catch (err) {
      code = (err as { code?: string }).code;
    }
    expect(code).to.equal('STREAMS_SERDE_DECODE');
  });
});

describe('Communication > Keys and cursors', () => {
  it('orders message keys as (sentAt, id), whatever the ids', () => {
    const entry = fc.record({ t: fc.nat({ max: 2 ** 45 }), id: fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !s.includes('\u0000')) });
    fc.assert(
      fc.property(entry, entry, (a, b) => {
        const byKey = Buffer.compare(Buffer.from(messageOrderKey('c', a.t, a.id)), Buffer.from(messageOrderKey('c', b.t, b.id)));
        const byTuple = a.t !== b.t ? Math.sign(a.t - b.t) : Buffer.compare(Buffer.from(a.id), Buffer.from(b.id));
        expect(Math.sign(byKey)).to.equal(byTuple);
      }),
    );
  });

  it('covers exactly the messages sent after one time and up to another', () => {
    const range = sentBetweenRange('c', 1000, 2000);
    const inside = (t: number) => {
      const key = messageOrderKey('c', t, 'id');
      return key >= range.from && key <= range.to;
    };
    expect([999, 1000, 1001, 2000, 2001].map(inside)).to.deep.equal([false, false, true, true, false]);
    expect(messageOrderKey('c', 0, 'x') >= sentBetweenRange('c', null, 0).from).to.equal(true);
  });

  it('decodes the cursors it encodes, ids with colons included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 50 }), fc.string({ minLength: 1 }), (t, id) => {
        expect(decodeCursor('conv', encodeCursor('conv', { t, id }))).to.deep.equal({ t, id });
      }),
    );
    expect(decodeCursor('msg', encodeCursor('msg', 'start'))).to.equal('start');
  });

  it('refuses foreign, altered or non-canonical cursors with RUNTIME_INVALID_CURSOR', () => {
    const good = encodeCursor('conv', { t: 5, id: 'a' });
    for (const bad of ['', 'x y', Buffer.from('conv1:abc:a').toString('base64url'), Buffer.from('conv1:5').toString('base64url'), `${good}A`, encodeCursor('msg', { t: 5, id: 'a' })]) {
      let code: string | undefined;
      try {
        decodeCursor('conv', bad);
      } catch (err) {
        code = (err as { code?: string }).code;
      }
      expect(code, bad).to.equal('RUNTIME_INVALID_CURSOR');
    }
  });
});
