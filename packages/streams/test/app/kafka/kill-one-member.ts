import type { KafkaLog } from '../../../src/log/kafka/kafka-log.js';
import { kafkaBrokers } from '../../helpers/services.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { appendSequenced, Member, uniqueName, waitUntilCommitted } from './kafka-app-helpers.js';

export const PARTITIONS = 4;
export const KEYS = 50;
const BATCHES = 30;
const BATCH = 200;

/** What a kill-one-member run leaves for the assertions. */
export interface KillOutcome {
  applicationId: string;
  input: string;
  output: string;
  /** Every input record the log acknowledged, in append order. */
  acknowledged: Array<[string, string]>;
  /** Input partitions the killed member owned. */
  killedPartitions: number[];
  survivor: Member;
}

/**
 * Two members of one application share a 4-partition input; input is appended while they run;
 * one is SIGKILLed mid-stream, while it processes and while input keeps arriving; the survivor
 * must take its tasks over. Resolves once the survivor owns every partition and the group has
 * committed everything that was acknowledged.
 */
export async function killOneMemberMidStream(
  log: KafkaLog,
  processingGuarantee: 'at_least_once' | 'exactly_once',
  track: (member: Member) => void,
): Promise<KillOutcome> {
  const applicationId = uniqueName('app');
  const input = `${applicationId}-in`;
  const output = `${applicationId}-out`;
  await log.createTopics([{ name: input, partitions: PARTITIONS }, { name: output, partitions: PARTITIONS }]);
  const config = { brokers: kafkaBrokers(), applicationId, input, output, processingGuarantee };
  const first = new Member({ ...config, stateDir: tempDir('member-a') });
  track(first);
  await first.waitFor('running with every partition', (s) => s.state === 'running' && s.partitions.length === PARTITIONS);
  const second = new Member({ ...config, stateDir: tempDir('member-b') });
  track(second);
  const half = (s: Member['status']) => s.state === 'running' && s.partitions.length === PARTITIONS / 2;
  await second.waitFor('running with half the partitions', half);
  await first.waitFor('running with the other half', half);

  const acknowledged: Array<[string, string]> = [];
  let killedPartitions: number[] = [];
  for (let batch = 0; batch < BATCHES; batch++) {
    acknowledged.push(...(await appendSequenced(log, input, batch * BATCH, BATCH, KEYS)));
    if (batch === BATCHES / 3) await second.waitFor('processing', (s) => s.processed > 0);
    if (killedPartitions.length === 0 && second.status.processed > 0 && batch >= BATCHES / 3) {
      killedPartitions = second.status.partitions;
      second.child.kill('SIGKILL');
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await second.exited;
  // The group notices the dead member after its session timeout (6 s), then rebalances.
  await first.waitFor('owning every partition', (s) => s.state === 'running' && s.partitions.length === PARTITIONS, 40_000);
  await waitUntilCommitted(log, applicationId, input, 30_000);
  return { applicationId, input, output, acknowledged, killedPartitions, survivor: first };
}
