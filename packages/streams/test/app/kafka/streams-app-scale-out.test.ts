import { expect } from 'chai';
import type { KafkaLog } from '../../../src/log/kafka/kafka-log.js';
import { partitionForKey } from '../../../src/log/partitioner.js';
import { describeIfKafka } from '../../helpers/services.js';
import { changelogState, modelOf, openKafkaLog, sequencedOutputs, type Member } from './kafka-app-helpers.js';
import { killOneMemberMidStream, PARTITIONS } from './kill-one-member.js';

describeIfKafka('App > Kafka > scale-out', function () {
  this.timeout(90_000);
  let log: KafkaLog;
  const members: Member[] = [];

  beforeEach(async () => {
    log = await openKafkaLog();
  });
  afterEach(async () => {
    await Promise.all(members.splice(0).map((m) => m.stop('SIGKILL')));
    await log.close();
  });

  it('two processes share the partitions; after SIGKILL of one the other takes its tasks over, loses no acknowledged input, and its idempotent state equals the model', async () => {
    const run = await killOneMemberMidStream(log, 'at_least_once', (m) => members.push(m));
    expect(run.killedPartitions).to.have.length(PARTITIONS / 2);
    const model = modelOf(run.acknowledged);

    // The state a restore rebuilds: what the changelogs hold once everything is committed.
    const latest = await changelogState(log, `${run.applicationId}-latest-changelog`);
    const counts = await changelogState(log, `${run.applicationId}-counts-changelog`);
    expect(Object.fromEntries(latest)).to.deep.equal(Object.fromEntries(model.latest));
    let duplicates = 0;
    for (const [key, count] of model.counts) {
      expect(counts.get(key), key).to.be.at.least(count);
      duplicates += counts.get(key)! - count;
    }
    // At least once: only what the killed member processed after its last commit runs twice,
    // so duplicates stay below what was appended to its partitions.
    const inKilledPartitions = run.acknowledged.filter(([k]) => run.killedPartitions.includes(partitionForKey(Buffer.from(k), PARTITIONS))).length;
    expect(duplicates).to.be.lessThan(inKilledPartitions);

    // Every acknowledged input record produced output.
    const outputs = await sequencedOutputs(log, run.output);
    const seen = new Set([...outputs.values()].flat().map((o) => o.seq));
    const missing = run.acknowledged.filter(([, v]) => !seen.has(Number(v)));
    expect(missing).to.deep.equal([]);
  });
});
