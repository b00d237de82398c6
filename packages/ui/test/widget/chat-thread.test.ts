import { expect } from 'chai';
import fc from 'fast-check';
import { ChatThread } from '../../web/widget/chat-thread.js';
import { messageText, type WireMessage } from '../../web/widget/wire.js';

/** The widget's thread: server messages ordered and deduplicated whatever order they come in, local sends replaced once stored. */
describe('widget > ChatThread', () => {
  const message = fc.record({
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    content: fc.record({ text: fc.string({ maxLength: 8 }) }),
    delivery_state: fc.constantFrom('pending', 'delivered', 'failed'),
    from_contact: fc.boolean(),
    sent_at: fc.integer({ min: 0, max: 5 }).map((s) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString()),
  }) as fc.Arbitrary<WireMessage>;

  const byOrder = (x: WireMessage, y: WireMessage) => Date.parse(x.sent_at) - Date.parse(y.sent_at) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
  const shown = (thread: ChatThread) => thread.ordered().map(({ key, text, fromVisitor, state }) => ({ key, text, fromVisitor, state }));
  /** Arrivals, and the final version of each message in a shuffled order (a history page read after a reconnect). */
  const arrivals = fc.array(message, { maxLength: 30 }).chain((list) => {
    const finals = [...new Map(list.map((m) => [m.id, m])).values()];
    return fc.tuple(fc.constant(list), fc.shuffledSubarray(finals, { minLength: finals.length, maxLength: finals.length }));
  });

  it('lists each message once, by (sent_at, id), as its last version says, whatever order pushes and history pages come in', () => {
    fc.assert(
      fc.property(arrivals, ([list, finalsShuffled]) => {
        const thread = new ChatThread();
        for (const m of list) thread.upsert(m);
        const expected = [...finalsShuffled].sort(byOrder).map((m) => ({ key: m.id, text: messageText(m.content), fromVisitor: m.from_contact, state: m.delivery_state }));
        expect(shown(thread)).to.deep.equal(expected);
        for (const m of finalsShuffled) expect(thread.upsert(m), 'a message seen before is not new').to.equal(false);
        expect(shown(thread)).to.deep.equal(expected);
      }),
    );
  });

  it("shows a send once, whether its push comes before or after the send's answer", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 10 }), fc.boolean(), (text, pushFirst) => {
        const thread = new ChatThread();
        const stored: WireMessage = { id: 'm-1', content: { text }, delivery_state: 'delivered', from_contact: true, sent_at: '2026-01-01T00:00:00.000Z' };
        thread.addLocal('c-1', text);
        expect(thread.ordered().map((i) => [i.key, i.state])).to.deep.equal([['local:c-1', 'sending']]);
        if (pushFirst) thread.upsert(stored);
        thread.confirm('c-1', stored);
        if (!pushFirst) thread.upsert(stored);
        expect(thread.ordered().map((i) => [i.key, i.text, i.state])).to.deep.equal([['m-1', text, 'delivered']]);
      }),
    );
  });

  it('keeps a failed send, at the end, until it is retried', () => {
    const thread = new ChatThread();
    thread.upsert({ id: 'z', content: { text: 'earlier' }, delivery_state: 'delivered', from_contact: false, sent_at: '2026-01-01T00:00:09.000Z' });
    thread.addLocal('c-1', 'lost');
    thread.fail('c-1');
    expect(thread.ordered().map((i) => [i.key, i.state])).to.deep.equal([['z', 'delivered'], ['local:c-1', 'failed']]);
    expect(thread.retrying('c-1')?.state).to.equal('sending');
    expect(thread.retrying('c-unknown')).to.equal(undefined);
  });

  it('shows the text of a content, and a placeholder for content without text', () => {
    expect(messageText({ text: 'Hi' })).to.equal('Hi');
    expect(messageText('plain')).to.equal('plain');
    expect(messageText({ image: { url: 'https://x.example/a.png' } })).to.equal('(a message this chat cannot show)');
    expect(messageText(null)).to.equal('(a message this chat cannot show)');
  });
});
