import { expect } from 'chai';
import fc from 'fast-check';
import { metadataDocument } from '../../src/metadata/metadata-document.js';
import {
  CONTACT_METADATA_KEYS,
  CONVERSATION_METADATA_KEYS,
  MESSAGE_METADATA_KEYS,
  CHANNEL_METADATA_KEYS,
  contactConversationKey,
  conversationTagKey,
} from '../../src/metadata/metadata-keys.js';
import { mergeMetadata } from '../../src/metadata/metadata-merge.js';
import { metadataRecord, metadataRecords } from '../../src/metadata/metadata-records.js';
import { METADATA_NAMESPACES, metadataSubject, parseMetadataSubject } from '../../src/metadata/metadata-subject.js';
import { assertMetadataKey } from '../../src/metadata/dotted-keys.js';
import { metadataDocumentArb, parleyId } from '../helpers.js';

const ID = '37566119-b0fd-5fc0-8f02-fbe5ac3a0a31';
const SUBJECT = `conversation:${ID}`;

describe('Schemas > Metadata > subjects', () => {
  it('round-trips every namespace and id', () => {
    fc.assert(
      fc.property(fc.constantFrom(...METADATA_NAMESPACES), parleyId, (namespace, id) => {
        expect(parseMetadataSubject(metadataSubject(namespace, id))).to.deep.equal({ namespace, id });
      }),
    );
  });

  it('does not parse unknown namespaces or ids that are not Parley ids', () => {
    expect(parseMetadataSubject(`component:${ID}`)).to.equal(undefined);
    expect(parseMetadataSubject('conversation:+4915112345678')).to.equal(undefined);
    expect(parseMetadataSubject(ID)).to.equal(undefined);
    expect(() => metadataSubject('conversation', 'abc')).to.throw(RangeError);
    expect(() => metadataSubject('thing' as never, ID)).to.throw(RangeError);
  });
});

describe('Schemas > Metadata > records', () => {
  it('writes one record per leaf with a shared timestamp, and they merge back into the document', () => {
    fc.assert(
      fc.property(metadataDocumentArb, fc.integer({ min: 0, max: 2 ** 45 }), (document, timestamp) => {
        const records = metadataRecords({ subject: SUBJECT, document, timestamp });
        for (const record of records) expect(record).to.include({ subject: SUBJECT, timestamp });
        expect(metadataDocument(mergeMetadata(records))).to.deep.equal(document);
      }),
    );
  });

  it('writes under a prefix', () => {
    const records = metadataRecords({ subject: SUBJECT, document: { erp: { id: 7 } }, timestamp: 1, prefix: 'user_data' });
    expect(records).to.deep.equal([{ subject: SUBJECT, key: 'user_data.erp.id', value: '7', valueType: 'NUMBER', timestamp: 1 }]);
  });

  it('builds a single record', () => {
    expect(metadataRecord({ subject: SUBJECT, key: 'state', value: 'OPEN', timestamp: 5 })).to.deep.equal({
      subject: SUBJECT,
      key: 'state',
      value: 'OPEN',
      valueType: 'TEXT',
      timestamp: 5,
    });
  });

  it('rejects malformed subjects, keys and timestamps with a RangeError', () => {
    expect(() => metadataRecord({ subject: 'conversation:x', key: 'a', value: 1, timestamp: 1 })).to.throw(RangeError);
    expect(() => metadataRecord({ subject: SUBJECT, key: 'a.', value: 1, timestamp: 1 })).to.throw(RangeError);
    expect(() => metadataRecord({ subject: SUBJECT, key: 'a', value: 1, timestamp: 1.5 })).to.throw(RangeError);
    expect(() => metadataRecords({ subject: SUBJECT, document: {}, timestamp: -1 })).to.throw(RangeError);
  });
});

describe('Schemas > Metadata > keys', () => {
  it('are valid snake_case dotted keys in every namespace', () => {
    for (const keys of [CONVERSATION_METADATA_KEYS, MESSAGE_METADATA_KEYS, CHANNEL_METADATA_KEYS, CONTACT_METADATA_KEYS]) {
      for (const key of Object.values(keys)) {
        expect(() => assertMetadataKey(key)).not.to.throw();
        expect(key).to.match(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/);
      }
    }
  });

  it('build tag and conversation keys, rejecting segments with dots', () => {
    expect(conversationTagKey('t-1')).to.equal('tags.t-1');
    expect(contactConversationKey(ID)).to.equal(`conversations.${ID}`);
    expect(() => conversationTagKey('a.b')).to.throw(RangeError);
    expect(() => conversationTagKey('')).to.throw(RangeError);
  });
});
