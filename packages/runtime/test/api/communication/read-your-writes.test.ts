import { expect } from 'chai';
import { facebookChannel, facebookConversation, facebookMessage } from '@parley/communication/testing';
import type { BatchHandler, LogConsumer } from '@parley/streams';
import { forEachBackend, type TestBackend } from '../../helpers.js';
import { startPlatform, type TestPlatform } from './platform-fixture.js';

/** Per-batch delay of the consumers made while `slowConsumers` runs, in ms. */
const BATCH_DELAY_MS = 20;

/** The class of `backend`'s log. */
async function logClass(backend: TestBackend): Promise<{ prototype: unknown }> {
  // Imported the way the runtime imports it: under tsx a static import here can load a second
  // copy of the module, whose class the runtime never instantiates.
  if (backend.name === 'kafka') return (await import('@parley/streams/kafka')).KafkaLog;
  return (await import('@parley/streams/embedded')).EmbeddedLog;
}

/**
 * Runs `fn` with every consumer of `backend`'s log created meanwhile delaying each batch by
 * BATCH_DELAY_MS: the applications then process slower than an HTTP round trip (as under load),
 * so a read sent the moment a write answered is stale unless the write waited for it.
 */
async function slowConsumers<T>(backend: TestBackend, fn: () => Promise<T>): Promise<T> {
  const prototype = (await logClass(backend)).prototype as { _consumer: (...args: unknown[]) => LogConsumer };
  const original = prototype._consumer;
  prototype._consumer = function (this: unknown, ...args: unknown[]) {
    const consumer = original.apply(this, args);
    const run = consumer.run.bind(consumer);
    consumer.run = (handler: BatchHandler) => run(async (batch) => {
      await new Promise((resolve) => setTimeout(resolve, BATCH_DELAY_MS));
      return handler(batch);
    });
    return consumer;
  };
  let created = 0;
  try {
    const patched = prototype._consumer;
    prototype._consumer = function (this: unknown, ...args: unknown[]) {
      created += 1;
      return patched.apply(this, args);
    };
    return await fn();
  } finally {
    prototype._consumer = original;
    expect(created, 'slowed consumers').to.be.greaterThan(0);
  }
}

forEachBackend('Api > Communication > Read your writes', function (backend) {
  this.timeout(60_000);
  let p: TestPlatform;
  const ada = facebookConversation('psid-ada');
  const others = Array.from({ length: 20 }, (_, i) => facebookConversation(`psid-${i}`));

  before(async () => {
    // The guarantee is what is checked, not its speed: the wait is long enough that a write on a
    // busy 2-core machine (slowed consumers, several repartition hops on Kafka) is never answered
    // by the bound running out — an answer before the read model has the write would fail here.
    p = await slowConsumers(backend, () => startPlatform({ communication: { readYourWritesMs: 30_000 } }, { log: backend.freshLog() }));
    await p.seed({ channels: [facebookChannel()], messages: [
        facebookMessage({ psid: 'psid-ada', mid: 'm_1', sentAt: Date.now() - 1000 }),
        ...others.map((_, i) => facebookMessage({ psid: `psid-${i}`, mid: `m_other_${i}`, sentAt: Date.now() - 2000 })),
      ],
    });
  });
  after(() => p.stop());

  // Many writes at once keep the topology (several hops through repartition topics) busy: a
  // read sent the moment one write has answered sees it only because the write waited for it.
  it('shows each sent message in a list read the moment its send answered, with 40 sends at once', async () => {
    const stale: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const sent = await p.post('messages.send', { conversation_id: ada, message: { text: `reply ${i}` } });
        expect(sent.status, sent.text).to.equal(200);
        const listed = await p.post('messages.list', { conversation_id: ada, page_size: 1000 });
        if (!listed.json.data.some((m: { id: string }) => m.id === sent.json.id)) stale.push(i);
      }),
    );
    expect(stale, 'sends not seen by the next read').to.deep.equal([]);
  });

  it('shows each tagging in the list by tag read the moment it answered, with 20 conversations tagged at once', async () => {
    const tag = (await p.post('tags.create', { name: 'Flip', color: 'tag-blue' })).json;
    const stale: number[] = [];
    await Promise.all(
      others.map(async (conversation, i) => {
        expect((await p.post('conversations.tag', { conversation_id: conversation, tag_id: tag.id })).status).to.equal(204);
        const listed = await p.post('conversations.list', { filters: { tag_ids: [tag.id] }, page_size: 1000 });
        if (!listed.json.data.some((c: { id: string }) => c.id === conversation)) stale.push(i);
      }),
    );
    expect(stale, 'taggings not seen by the next read').to.deep.equal([]);
    expect((await p.post('conversations.list', { filters: { tag_ids: [tag.id] } })).json.pagination_data.total).to.equal(others.length);
  });

  it('answers a write even when the read model cannot catch up, and logs that the read may be stale', async () => {
    // A closed application never processes the write: the wait gives up at once and the write stands.
    await p.runtime.apps.get('communication')!.app.close();
    const res = await p.post('tags.create', { name: 'Late', color: 'tag-red' });
    expect(res.status, res.text).to.equal(201);
    expect(p.lines.some((line) => JSON.parse(line).event === 'communication.read_your_writes_timeout')).to.equal(true);
  });
});
