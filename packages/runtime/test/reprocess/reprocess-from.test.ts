import { expect } from 'chai';
import { createPlatform, type Runtime } from '../../src/index.js';
import { tempDir } from '../helpers.js';
import { shopRouter } from './fixtures/shop-router.js';
import { FIXED_MODULE, createShopChannel, ingestShopEvents, post, waitFor } from './story.js';

const EVENTS = 600;
/** The events from this one on are at or after the `from` time (event n is stamped 1_700_000_000_000 + n). */
const FIRST_REPLAYED = 250;
const FROM = 1_700_000_000_000 + FIRST_REPLAYED;

describe('Runtime > reprocess: --from <time>', function () {
  this.timeout(120_000);
  let runtime: Runtime;

  before(async () => {
    runtime = createPlatform({ dataDir: tempDir('reprocess-from'), http: { port: 0 } }, { logging: { level: 'silent' }, topologies: [shopRouter('handle')] });
    await runtime.start();
  });
  after(() => runtime?.stop());

  it('replays only the input records stamped at or after the time', async () => {
    const url = runtime.url;
    const token = runtime.systemToken!;
    const channelId = await createShopChannel(url, token);
    await ingestShopEvents(runtime.log, channelId, EVENTS);

    const started = await post(url, 'reprocess.start', token, { topology: 'shop-router', module: FIXED_MODULE, from: FROM });
    expect(started.status, started.text).to.equal(200);
    expect(started.json).to.include({ from: FROM });
    const caughtUp = await waitFor('the shadow caught up', () => post(url, 'reprocess.status', token), (r) => r.json.data[0]?.caught_up === true);
    expect(caughtUp.json.data[0].inputs[0]).to.include({ topic: 'source.shop.events', processed: EVENTS, end: EVENTS, lag: 0 });

    // One message per replayed event, each the live version's message for the same event.
    const diff = await post(url, 'reprocess.diff', token, { samples: 0 });
    expect(diff.status, diff.text).to.equal(200);
    const messages = diff.json.outputs.find((o: { topic: string }) => o.topic === 'application.communication.messages');
    expect(messages).to.include({ shadow_records: EVENTS - FIRST_REPLAYED, added: 0, removed: 0, changed: 0, unchanged: EVENTS - FIRST_REPLAYED });
    const shadowTopic = messages.shadow_topic as string;
    const times: number[] = [];
    const { partitions } = await runtime.log.describeTopic(shadowTopic);
    for (let partition = 0; partition < partitions; partition++) {
      for (let offset = 0; ; ) {
        const page = await runtime.log.read({ topic: shadowTopic, partition }, offset, { maxRecords: 1000 });
        if (page.length === 0) break;
        times.push(...page.map((r) => r.timestamp));
        offset = page[page.length - 1]!.offset + 1;
      }
    }
    expect(times).to.have.length(EVENTS - FIRST_REPLAYED);
    expect(Math.min(...times)).to.equal(FROM);
  });
});
