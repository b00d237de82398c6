import { expect } from 'chai';
import { resetApplication } from '../../src/app/reset-application.js';
import { StreamsApp } from '../../src/app/streams-app.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { tempDir } from '../helpers/temp-dir.js';
import { openEmbeddedLog, str } from './app-helpers.js';

describe('App > resetApplication > internal topics', () => {
  it("deletes a foreign-key join's subscription topics with the changelogs, and leaves other applications' topics alone", async () => {
    const log = await openEmbeddedLog();
    await log.createTopics([{ name: 'orders' }, { name: 'customers' }, { name: 'out' }, { name: 'fk-app2-kept-changelog' }]);
    const builder = new StreamsBuilder();
    builder
      .table('orders', { keySerde: str, valueSerde: str })
      .join(builder.table('customers', { keySerde: str, valueSerde: str }), (v) => v, (o, c) => `${o}${c}`)
      .toStream()
      .to('out', { valueSerde: str });
    const stateDir = tempDir('reset-fk');
    const app = new StreamsApp(builder.build(), { applicationId: 'fk-app', log, stateDir });
    await app.start();
    await app.close();
    const before = await log.listTopics();
    const subscriptionTopics = before.filter((t) => t.includes('SUBSCRIPTION-REGISTRATION') || t.includes('SUBSCRIPTION-RESPONSE'));
    expect(subscriptionTopics).to.have.length(2);

    const report = await resetApplication({ log, applicationId: 'fk-app', stateDir });
    expect(report.deletedTopics).to.include.members(subscriptionTopics);
    expect(await log.listTopics()).to.deep.equal(['customers', 'fk-app2-kept-changelog', 'orders', 'out']);
    await log.close();
  });
});
