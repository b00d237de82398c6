import { expect } from 'chai';
import fc from 'fast-check';
import { COMMUNICATION_TOPICS, contactId, metadataId, metadataRecord, metadataSubject, type JsonValue, type Metadata } from '@parley/schemas';
import { reconcileAiryContacts } from '../../src/import/airy/airy-contact-reconciliation.js';
import type { PlannedWrite } from '../../src/import/airy/airy-import-plan.js';

const CONTACTS = COMMUNICATION_TOPICS.contacts.name;
const conversation = '7b0a8a4e-2f7c-5d53-9d4b-0c6d1f2a3b4c';
const other = '9c1b7a5d-3e8f-5a64-8e5c-1d7e2a3b4c5d';
const airyContact = '3f2e1d0c-4b5a-5968-8776-a5b4c3d2e1f0';
const derived = contactId(conversation);

const record = (id: string, key: string, value: JsonValue, timestamp: number): Metadata => metadataRecord({ subject: metadataSubject('contact', id), key, value, timestamp });
const planned = (m: Metadata): PlannedWrite => ({ topic: CONTACTS, key: metadataId(m.subject, m.key), record: m, value: null, timestamp: m.timestamp });
/** Airy's contact of the conversation: its name and its link, as the importer plans them. */
const airyWrites = (id = airyContact, linkedAt = 2000): PlannedWrite[] => [planned(record(id, 'display_name', 'Ada Lovelace', 2000)), planned(record(id, `conversations.${conversation}`, 'facebook', linkedAt))];
/** What Parley's seed wrote for the conversation's derived contact. */
const seed = [record(derived, `conversations.${conversation}`, 'facebook', 1000), record(derived, 'created_at', 1000, 1000)];
const by = (writes: PlannedWrite[]) => new Map(writes.map((w) => [`${(w.record as Metadata).subject} ${(w.record as Metadata).key}`, w.record as Metadata]));

describe('Runtime > import > Airy contacts reconciled with derived ones', () => {
  it("marks the derived contact merged into Airy's, at the time of Airy's link, whether Parley derived it yet or not", () => {
    for (const parleyContacts of [[], seed]) {
      const writes = reconcileAiryContacts({ writes: airyWrites(), parleyContacts, now: 9000 });
      expect(writes.map((w) => w.record)).to.deep.equal([record(derived, 'merged_into', airyContact, 2000)]);
      expect(writes[0]!.value).to.be.instanceOf(Buffer);
    }
  });

  it('merges a derived contact with attributes of its own as contacts.merge does: its values where Airy has none, its conversations, the history', () => {
    const edited = [...seed, record(derived, 'title', 'Countess', 1500), record(derived, 'display_name', 'A.', 1500), record(derived, `conversations.${other}`, 'twilio.sms', 1600)];
    const writes = by(reconcileAiryContacts({ writes: airyWrites(), parleyContacts: edited, now: 9000 }));
    const into = (key: string) => writes.get(`contact:${airyContact} ${key}`);
    expect(into('title')).to.include({ value: 'Countess', timestamp: 9000 });
    expect(into('display_name'), "Airy's own name wins").to.equal(undefined);
    expect(into(`conversations.${other}`)).to.include({ value: 'twilio.sms' });
    expect(into(`conversations.${conversation}`), 'Airy links it already').to.equal(undefined);
    const history = JSON.parse(into('merge_history')!.value!) as { id: string; title: string; merged_at: string }[];
    expect(history.map((h) => [h.id, h.title, h.merged_at])).to.deep.equal([[derived, 'Countess', new Date(9000).toISOString()]]);
    expect(writes.get(`contact:${derived} merged_into`)).to.include({ value: airyContact });
  });

  it('run again over what the first run wrote, plans only records Parley holds already (no second merge)', () => {
    const edited = [...seed, record(derived, 'title', 'Countess', 1500)];
    const first = reconcileAiryContacts({ writes: airyWrites(), parleyContacts: edited, now: 9000 });
    const parley = [...edited, ...airyWrites().map((w) => w.record as Metadata), ...first.map((w) => w.record as Metadata)];
    const again = reconcileAiryContacts({ writes: airyWrites(), parleyContacts: parley, now: 12_000 });
    expect(again.map((w) => w.record)).to.deep.equal([record(derived, 'merged_into', airyContact, 2000)]);
  });

  it("folds the derived contact into the contact Parley's index would give the conversation to (latest link, then greater id), in any order", () => {
    const second = 'ffffffff-4b5a-5968-8776-a5b4c3d2e1f0';
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (a, b, reversed) => {
        const writes = [...airyWrites(airyContact, a), ...airyWrites(second, b)];
        const out = reconcileAiryContacts({ writes: reversed ? writes.reverse() : writes, parleyContacts: [], now: 9000 });
        const owner = b > a || (a === b && second > airyContact) ? second : airyContact;
        expect(out.map((w) => (w.record as Metadata).value)).to.deep.equal([owner]);
      }),
    );
  });

  it("leaves conversations alone that no Airy contact links, and Airy contacts that are Parley's derived ones", () => {
    expect(reconcileAiryContacts({ writes: [planned(record(airyContact, 'display_name', 'X', 1))], parleyContacts: seed, now: 9000 })).to.deep.equal([]);
    expect(reconcileAiryContacts({ writes: [planned(record(derived, `conversations.${conversation}`, 'facebook', 1))], parleyContacts: seed, now: 9000 })).to.deep.equal([]);
  });
});
