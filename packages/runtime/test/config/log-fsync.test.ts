import type { EmbeddedLog } from '@parley/streams/embedded';
import { expect } from 'chai';
import { DataDir, loadConfig, resolveConfig, RuntimeError } from '../../src/index.js';
import { openLog } from '../../src/log-backend.js';
import { tempDir } from '../helpers.js';

async function fsyncOf(config: ReturnType<typeof resolveConfig>): Promise<boolean> {
  const log = await openLog(config, new DataDir(tempDir('fsync')));
  try {
    expect(log.constructor.name).to.equal('EmbeddedLog');
    return (log as EmbeddedLog).fsync;
  } finally {
    await log.close();
  }
}

describe('Config > log.fsync', () => {
  it('opens the embedded log with fsync on by default: an acknowledged message survives a power loss', async () => {
    expect(await fsyncOf(resolveConfig({}))).to.equal(true);
  });

  it('turns it off with log.fsync: false or PARLEY_LOG_FSYNC=false', async () => {
    expect(await fsyncOf(resolveConfig({ log: { fsync: false } }))).to.equal(false);
    const fromEnv = loadConfig({ env: { PARLEY_LOG_FSYNC: 'false' }, cwd: tempDir('fsync-env') });
    expect(fromEnv.log.fsync).to.equal(false);
    expect(await fsyncOf({ ...fromEnv, dataDir: tempDir('fsync-env-data') })).to.equal(false);
  });

  it('rejects fsync on the kafka backend and a value that is not a boolean, naming the field', () => {
    for (const log of [{ backend: 'kafka', brokers: ['a:9092'], fsync: true }, { fsync: 'sometimes' }]) {
      let error: unknown;
      try {
        resolveConfig({ log });
      } catch (err) {
        error = err;
      }
      expect(error, JSON.stringify(log)).to.be.instanceOf(RuntimeError);
      expect([(error as RuntimeError).code, (error as RuntimeError).field]).to.deep.equal(['RUNTIME_CONFIG_INVALID', 'log.fsync']);
    }
  });
});
