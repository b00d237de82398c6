import { expect } from 'chai';
import fc from 'fast-check';
import { channelId, contactId, conversationId, messageId, metadataId, nameBasedUuid } from '../src/ids.js';
import { isCanonicalUuid } from '../src/canonical-uuid.js';
import { UUID_V5, anyText, nonEmptyText, parleyId, shiftedPairs } from './helpers.js';

describe('Schemas > Ids > nameBasedUuid', () => {
  it('matches the reference test vectors of Airy Core', () => {
    expect(nameBasedUuid('test', 'test')).to.equal('51abb963-6078-5efb-b888-d8457a7c76f8');
    expect(nameBasedUuid('source', '98ce13ef-5469-4db3-af62-579be61cfaa4')).to.equal('e5fc97f1-2f2d-53c5-85c7-97a83b17e9ff');
  });

  it('hashes the plain concatenation, so an empty namespace is fromName', () => {
    fc.assert(
      fc.property(anyText, anyText, (namespace, name) => {
        expect(nameBasedUuid(namespace, name)).to.equal(nameBasedUuid('', namespace + name));
      }),
    );
  });

  it('is deterministic and shaped as a version-5 UUID with the RFC 4122 variant', () => {
    fc.assert(
      fc.property(anyText, anyText, (namespace, name) => {
        const id = nameBasedUuid(namespace, name);
        expect(id).to.match(UUID_V5);
        expect(nameBasedUuid(namespace, name)).to.equal(id);
      }),
    );
  });

  it('collides on shifted boundaries, which is why the named derivations do not use it directly', () => {
    fc.assert(
      fc.property(shiftedPairs, ({ first, second }) => {
        expect(nameBasedUuid(...first)).to.equal(nameBasedUuid(...second));
      }),
    );
  });

  it('throws a TypeError for a non-string argument', () => {
    expect(() => nameBasedUuid(undefined as unknown as string, 'x')).to.throw(TypeError);
  });
});

describe('Schemas > Ids > derivations', () => {
  const CHANNEL = '79ef309a-6bfd-5f20-9feb-9337cca173c5';
  const CONVERSATION = '91fd037d-0d65-5dda-9957-255b5dfa2dc1';

  // Golden vectors, computed by an independent implementation (Python's hashlib, see README
  // "Ids"). A failure here means ids changed: every stored record would be keyed differently.
  it('derive the documented golden vectors', () => {
    expect(channelId('facebook', '1234567890')).to.equal(CHANNEL);
    expect(conversationId(CHANNEL, 'psid-42')).to.equal(CONVERSATION);
    expect(messageId(CHANNEL, 'm_abc')).to.equal('34fc7d4c-720b-5e80-a3a4-98a98990fd82');
    expect(contactId(CONVERSATION)).to.equal('51c14b6d-c0e9-5f34-8a30-9976fe625d47');
    expect(metadataId(`conversation:${CONVERSATION}`, 'contact.display_name')).to.equal('5f6c7ae4-0c2f-53e1-b723-af64fe33ad07');
    expect(channelId('twilio.sms', '+49 151 ✓ café')).to.equal('a01b2ea7-ca9c-5272-85c7-a8cc220fe3af');
  });

  it('are deterministic version-5 UUIDs', () => {
    fc.assert(
      fc.property(nonEmptyText, nonEmptyText, parleyId, (a, b, id) => {
        for (const derive of [() => channelId(a, b), () => conversationId(id, a), () => messageId(id, b), () => contactId(id)]) {
          const value = derive();
          expect(value).to.match(UUID_V5);
          expect(derive()).to.equal(value);
        }
      }),
    );
  });

  it('give distinct ids for distinct inputs', () => {
    const pairs = fc.tuple(fc.tuple(nonEmptyText, nonEmptyText), fc.tuple(nonEmptyText, nonEmptyText));
    const idPairs = fc.tuple(fc.tuple(parleyId, nonEmptyText), fc.tuple(parleyId, nonEmptyText));
    fc.assert(
      fc.property(pairs, idPairs, ([[a, b], [c, d]], [[id1, x], [id2, y]]) => {
        if (a !== c || b !== d) expect(channelId(a, b)).not.to.equal(channelId(c, d));
        if (id1 !== id2 || x !== y) {
          expect(conversationId(id1, x)).not.to.equal(conversationId(id2, y));
          expect(messageId(id1, x)).not.to.equal(messageId(id2, y));
        }
        if (id1 !== id2) expect(contactId(id1)).not.to.equal(contactId(id2));
      }),
    );
  });

  it('give distinct ids for inputs that differ in one part only', () => {
    fc.assert(
      fc.property(parleyId, nonEmptyText, nonEmptyText, (id, x, y) => {
        fc.pre(x !== y);
        expect(channelId(x, y)).not.to.equal(channelId(y, x));
        expect(conversationId(id, x)).not.to.equal(conversationId(id, y));
        expect(messageId(id, x)).not.to.equal(messageId(id, y));
      }),
    );
  });

  it("are Airy Core's ids for channels, conversations and messages", () => {
    fc.assert(
      fc.property(nonEmptyText, nonEmptyText, parleyId, (a, b, id) => {
        expect(channelId(a, b)).to.equal(nameBasedUuid(a, b));
        expect(conversationId(id, a)).to.equal(nameBasedUuid(id, a));
        expect(messageId(id, b)).to.equal(nameBasedUuid(id, b));
      }),
    );
  });

  it('give a contact an id apart from its conversation and from any message', () => {
    fc.assert(
      fc.property(parleyId, nonEmptyText, (id, text) => {
        // Conversation and message ids of equal inputs are equal, as in Airy Core: they key
        // different topics, and a contact id never equals a message id in practice.
        const conversation = conversationId(id, text);
        expect(contactId(conversation)).not.to.equal(conversation);
        expect(contactId(conversation)).not.to.equal(messageId(id, text));
      }),
    );
  });

  it('reject empty parts and lone surrogates with a RangeError, non-strings with a TypeError', () => {
    expect(() => channelId('', 'x')).to.throw(RangeError);
    expect(() => channelId('facebook', '')).to.throw(RangeError);
    expect(() => channelId('facebook', 'a\ud800b')).to.throw(RangeError);
    expect(() => channelId('facebook', 42 as unknown as string)).to.throw(TypeError);
    expect(() => contactId(undefined as unknown as string)).to.throw(TypeError);
  });
});

describe('Schemas > Ids > conversationId', () => {
  // Airy derived an outbound conversation from (source, recipient) and an inbound one from
  // (channel id, sender). Parley has one function, and its first part must be a channel id.
  it("rejects a source name where the channel id belongs (Airy's outbound derivation)", () => {
    expect(() => conversationId('twilio.sms', '+4915112345678')).to.throw(RangeError);
  });

  it('rejects a channel id that is not lowercase canonical, so one channel has one spelling', () => {
    const channel = channelId('facebook', '1');
    expect(() => conversationId(channel.toUpperCase(), 'psid')).to.throw(RangeError);
  });

  it('separates the same contact on two channels of one source', () => {
    const first = conversationId(channelId('my-crm', 'eu'), 'customer-1');
    const second = conversationId(channelId('my-crm', 'us'), 'customer-1');
    expect(first).not.to.equal(second);
  });
});

describe('Schemas > Ids > metadataId', () => {
  it('is distinct per subject and key', () => {
    fc.assert(
      fc.property(parleyId, parleyId, fc.constantFrom('a', 'a.b', 'ab', 'b'), fc.constantFrom('a', 'a.b', 'ab', 'b'), (id1, id2, k1, k2) => {
        fc.pre(id1 !== id2 || k1 !== k2);
        expect(metadataId(`conversation:${id1}`, k1)).not.to.equal(metadataId(`conversation:${id2}`, k2));
        expect(metadataId(`conversation:${id1}`, k1)).not.to.equal(metadataId(`message:${id1}`, k1));
      }),
    );
  });

  it('rejects malformed subjects and keys with a RangeError', () => {
    const id = channelId('facebook', '1');
    expect(() => metadataId(`channel:${id}`, 'a..b')).to.throw(RangeError);
    expect(() => metadataId(`thing:${id}`, 'a')).to.throw(RangeError);
    expect(() => metadataId('conversation:not-a-uuid', 'a')).to.throw(RangeError);
  });
});

describe('Schemas > Ids > isCanonicalUuid', () => {
  it('accepts lowercase 8-4-4-4-12 hex only', () => {
    expect(isCanonicalUuid('486ad6b1-9276-5b65-9d72-ff2f8b3b2bf2')).to.equal(true);
    expect(isCanonicalUuid('486AD6B1-9276-5B65-9D72-FF2F8B3B2BF2')).to.equal(false);
    expect(isCanonicalUuid('486ad6b19276-5b65-9d72-ff2f8b3b2bf2')).to.equal(false);
    expect(isCanonicalUuid(7)).to.equal(false);
  });
});
