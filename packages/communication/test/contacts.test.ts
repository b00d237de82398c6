import { expect } from 'chai';
import fc from 'fast-check';
import { contactId, metadataRecord, mergeMetadata, metadataSubject, type MetadataChange } from '@parley/schemas';
import type { CommandContext } from '../src/commands/command-context.js';
import { createContact, deleteContact, mergeContacts, updateContact } from '../src/commands/contact-commands.js';
import { ContactIndex } from '../src/read-model/contact-index.js';
import { createHarness, facebookChannel, facebookConversation, facebookMessage, type Harness } from '../src/testing.js';

describe('Communication > Contacts', () => {
  const ada = facebookConversation('psid-ada');
  const bob = facebookConversation('psid-bob');
  let h: Harness;
  let context: CommandContext;
  let clock: number;
  let ids: number;

  beforeEach(async () => {
    h = await createHarness();
    clock = 10_000;
    ids = 0;
    context = { log: h.log, readModel: h.readModel, serdes: h.serdes, now: () => clock, newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}` };
    await h.channel(facebookChannel());
  });
  afterEach(() => h.close());

  it("seeds one contact per conversation at its first message's time, and only once", async () => {
    await h.message(facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000 }));
    await h.message(facebookMessage({ psid: 'psid-ada', mid: 'm_2', sentAt: 2000 }));
    expect(h.readModel.contacts.size).to.equal(1);
    const contact = h.readModel.contactOfConversation(ada);
    expect(contact).to.include({ id: contactId(ada), created_at: new Date(1000).toISOString(), updated_at: new Date(1000).toISOString() });
    expect(contact.conversations).to.deep.equal({ [ada]: 'facebook' });
  });

  it('a replayed first message does not bring back a contact deleted or merged after it', async () => {
    const first = facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000 });
    await h.message(first);
    await h.message(facebookMessage({ psid: 'psid-bob', mid: 'm_2', sentAt: 1500 }));
    await deleteContact(context, { id: contactId(ada) });
    clock += 1;
    await mergeContacts(context, { sourceId: contactId(bob), destinationId: (await createContact(context, { fields: { display_name: 'Bob' } })).contactId });
    // The conversation aggregate forgets the message, then sees it again: the seed is written again.
    await h.deleteMessage(first.id, 3000);
    await h.message(first);
    expect(h.readModel.contacts.get(contactId(ada))).to.equal(undefined);
    expect(h.readModel.contacts.get(contactId(bob))).to.equal(undefined);
    expect(h.readModel.contactOfConversation(bob).display_name).to.equal('Bob');
  });

  it('merges attributes field by field, the destination winning, and links conversations to the destination', async () => {
    await h.message(facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000 }));
    await updateContact(context, { id: contactId(ada), fields: { title: 'Countess', address: { city: 'London', country: 'UK' }, display_name: 'A.' } });
    const destination = await createContact(context, { fields: { display_name: 'Ada Lovelace', address: { city: 'Marylebone' } } });
    clock += 1;
    await mergeContacts(context, { sourceId: contactId(ada), destinationId: destination.contactId });
    const merged = h.readModel.contactInfo(destination.contactId);
    expect(merged).to.include({ display_name: 'Ada Lovelace', title: 'Countess' });
    expect(merged.address).to.deep.equal({ city: 'Marylebone', country: 'UK' });
    expect(merged.conversations).to.deep.equal({ [ada]: 'facebook' });
    expect(merged.merge_history.map((c) => (c as { id: string }).id)).to.deep.equal([contactId(ada)]);
  });

  describe('a contact merged by an import (merged_into)', () => {
    const airy = '00000000-0000-4000-8000-0000000000a1';
    const derived = contactId(ada);
    const steps = {
      message: (x: Harness) => x.message(facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: 1000 })),
      airyContact: async (x: Harness) => {
        await x.metadata(metadataSubject('contact', airy), `conversations.${ada}`, 'facebook', 500);
        await x.metadata(metadataSubject('contact', airy), 'display_name', 'Ada Lovelace', 500);
      },
      mergedInto: (x: Harness) => x.metadata(metadataSubject('contact', derived), 'merged_into', airy, 500),
    };

    it("leaves one contact, Airy's, owning the conversation, in any order of contact, merge mark and first message", async () => {
      await fc.assert(
        fc.asyncProperty(fc.shuffledSubarray(Object.keys(steps) as (keyof typeof steps)[], { minLength: 3 }), async (order) => {
          const x = await createHarness();
          try {
            await x.channel(facebookChannel());
            for (const step of order) await steps[step](x);
            expect([...x.readModel.contacts.all()].map((c) => c.id)).to.deep.equal([airy]);
            expect(x.readModel.contactOfConversation(ada)).to.deep.include({ id: airy, display_name: 'Ada Lovelace', conversations: { [ada]: 'facebook' } });
            expect(() => x.readModel.contactInfo(derived)).to.throw().with.property('code', 'RUNTIME_NOT_FOUND');
          } finally {
            await x.close();
          }
        }),
        { numRuns: 12 },
      );
    });

    it('keeps deriving contacts for other conversations', async () => {
      await steps.mergedInto(h);
      await h.message(facebookMessage({ psid: 'psid-bob', mid: 'm_2', sentAt: 1000 }));
      expect(h.readModel.contactOfConversation(bob).id).to.equal(contactId(bob));
    });
  });

  describe('ContactIndex', () => {
    const link = (conversation: string, at: number): MetadataChange => {
      const record = metadataRecord({ subject: metadataSubject('contact', contactId(conversation)), key: `conversations.${conversation}`, value: 'facebook', timestamp: at });
      return { key: record.key, value: record.value, valueType: record.valueType, timestamp: at };
    };

    it('gives a conversation to its latest link, whatever order the contacts are told in', () => {
      const contacts = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-00000000000c'];
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 3, maxLength: 3 }), fc.func(fc.integer()), (times, order) => {
          const index = new ContactIndex();
          const told = contacts.map((id, i) => ({ id, at: times[i]! })).sort((a, b) => order(a.id) - order(b.id));
          for (const { id, at } of told) index.upsert(id, mergeMetadata([link(ada, at)]));
          const best = contacts.map((id, i) => ({ id, at: times[i]! })).reduce((a, b) => (b.at > a.at || (b.at === a.at && b.id > a.id) ? b : a));
          expect(index.contactOf(ada)).to.equal(best.id);
          expect(contacts.filter((id) => index.conversationsOf(id).includes(ada))).to.deep.equal([best.id]);
        }),
      );
    });

    it('drops a contact whose attributes are all deleted, and ignores a stale load after news', () => {
      const index = new ContactIndex();
      const id = contactId(bob);
      index.upsert(id, mergeMetadata([link(bob, 5)]));
      index.upsert(id, mergeMetadata([{ key: `conversations.${bob}`, value: null, timestamp: 6 }], mergeMetadata([link(bob, 5)])));
      expect(index.get(id)).to.equal(undefined);
      expect(index.contactOf(bob)).to.equal(undefined);
      index.load(id, mergeMetadata([link(bob, 5)]));
      expect(index.get(id)).to.equal(undefined);
    });
  });
});
