import { EmbeddedLog } from '@parley/streams/embedded';
import { FaultyFs } from '@parley/streams/testing';
import { expect } from 'chai';
import { isRuntimeError } from '../src/index.js';
import { PipelineHealth } from '../src/pipeline-health.js';
import { tempDir } from './helpers.js';

const record = [{ key: null, value: Buffer.from('x') }];

describe('PipelineHealth', () => {
  let log: EmbeddedLog;
  const faults = new FaultyFs();
  let now = 1_000_000;
  const health = new PipelineHealth({ apps: () => new Map(), clock: () => now });

  before(async () => {
    log = new EmbeddedLog({ dir: tempDir('health'), fs: faults, maintenanceIntervalMs: 0 });
    await log.open();
    await log.createTopics([{ name: 't' }]);
  });
  after(() => log.close());

  it('refuses API appends for a backoff after a failed one (1 s, doubling), with Retry-After, and accepts again after a success', async () => {
    const api = health.guarded(log);
    const refusal = async () => api.append('t', record).then(() => undefined, (err: unknown) => err);
    expect(health.report()).to.deep.equal({ healthy: true, checks: { log: 'accepting' } });

    faults.failAll('write', { code: 'ENOSPC' });
    expect((await refusal() as { code: string }).code, 'the log itself fails').to.equal('STREAMS_LOG_IO');
    const refused = await refusal();
    expect(isRuntimeError(refused, 'RUNTIME_NOT_READY') && refused.retryAfterSeconds).to.equal(1);
    expect(faults.calls.write, 'a refused append does not reach the disk').to.equal(1);
    expect(health.report()).to.deep.equal({ healthy: false, checks: { log: 'refusing' } });

    now += 1000; // the backoff passed: the next append is tried, fails again, and doubles it
    expect((await refusal() as { code: string }).code).to.equal('STREAMS_LOG_IO');
    expect((await refusal() as { retryAfterSeconds: number }).retryAfterSeconds).to.equal(2);

    faults.clear();
    now += 2000;
    expect((await api.append('t', record))[0]!.offset).to.equal(0);
    expect(health.report().healthy).to.equal(true);
    expect((await api.append('t', record))[0]!.offset, 'accepting again at once').to.equal(1);
  });

  it('never refuses the applications\' appends, but a failure of theirs makes the API refuse too', async () => {
    const apps = health.observed(log);
    const api = health.guarded(log);
    faults.failNext('write', { code: 'EIO' });
    expect(await apps.append('t', record).then(() => 'ok', (err: { code: string }) => err.code)).to.equal('STREAMS_LOG_IO');
    expect(await api.append('t', record).then(() => 'ok', (err: { code: string }) => err.code)).to.equal('RUNTIME_NOT_READY');
    expect((await apps.append('t', record))[0]!.offset, 'the applications still write').to.equal(2);
    expect((await api.append('t', record))[0]!.offset, 'their success ends the refusal').to.equal(3);
  });
});
