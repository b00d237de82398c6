import { expect } from 'chai';
import type { KafkaLog } from '../../../src/log/kafka/kafka-log.js';
import { describeIfKafka } from '../../helpers/services.js';
import { changelogState, modelOf, openKafkaLog, sequencedOutputs, type Member } from './kafka-app-helpers.js';
import { killOneMemberMidStream } from './kill-one-member.js';

describeIfKafka('App > Kafka > exactly once', function () {
  this.timeout(90_000);
  let log: KafkaLog;
  const members: Member[] = [];

  beforeEach(async () => {
    // read_committed (the default): what a downstream consumer of the output sees.
    log = await openKafkaLog({ isolationLevel: 'read_committed' });
  });
  afterEach(async () => {
    await Promise.all(members.splice(0).map((m) => m.stop('SIGKILL')));
    await log.close();
  });

  it('after SIGKILL of one of two processes, a read_committed reader sees each input record processed exactly once, and the state equals the model', async () => {
    const run = await killOneMemberMidStream(log, 'exactly_once', (m) => members.push(m));
    const model = modelOf(run.acknowledged);

    const outputs = await sequencedOutputs(log, run.output);
    const seqs = [...outputs.values()].flat().map((o) => o.seq).sort((a, b) => a - b);
    expect(seqs).to.deep.equal(run.acknowledged.map(([, v]) => Number(v)).sort((a, b) => a - b));
    for (const [key, list] of outputs) {
      // Per key, outputs count 1, 2, 3… with no repeat and no gap: no record was counted twice.
      expect(list.map((o) => o.count), key).to.deep.equal(list.map((_, i) => i + 1));
    }

    const counts = await changelogState(log, `${run.applicationId}-counts-changelog`);
    const latest = await changelogState(log, `${run.applicationId}-latest-changelog`);
    expect(Object.fromEntries(counts)).to.deep.equal(Object.fromEntries(model.counts));
    expect(Object.fromEntries(latest)).to.deep.equal(Object.fromEntries(model.latest));
  });
});
