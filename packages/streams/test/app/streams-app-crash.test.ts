import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamsApp } from '../../src/app/streams-app.js';
import { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import { tempDir } from '../helpers/temp-dir.js';
import { crashInput, crashTopology } from './fixtures/crash-topology.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Runs the counting child until it has processed `atLeast` records, then SIGKILLs it. */
async function runAndKill(dir: string, stateDir: string, atLeast: number): Promise<number> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', path.join(here, 'fixtures/count-until-killed.ts'), dir, stateDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let processed = 0;
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited with ${code}`))));
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = chunk.toString().trim().split('\n');
      processed = Number(lines[lines.length - 1]);
      if (processed >= atLeast && child.exitCode === null) child.kill('SIGKILL');
    });
  });
  return processed;
}

describe('App > StreamsApp > crash', () => {
  it('after SIGKILL mid-stream loses nothing, and idempotent state equals the model exactly', async function () {
    this.timeout(60_000);
    const dir = tempDir('crash-log');
    const stateDir = tempDir('crash-state');
    const killedAt = await runAndKill(dir, stateDir, 4000);
    expect(killedAt).to.be.at.least(4000);

    const log = new EmbeddedLog({ dir, maintenanceIntervalMs: 0 });
    await log.open();
    const app = new StreamsApp(crashTopology(), { applicationId: 'crash-app', log, stateDir });
    await app.start();
    await app.waitUntilCaughtUp(30_000);

    const input = crashInput();
    const modelCount = new Map<string, number>();
    const modelLatest = new Map<string, number>();
    input.forEach(([k, v]) => {
      modelCount.set(k, (modelCount.get(k) ?? 0) + 1);
      modelLatest.set(k, Number(v));
    });
    const counts = app.store<string, number>('counts');
    const latest = app.store<string, number>('latest');
    let duplicates = 0;
    for (const [key, count] of modelCount) {
      // At-least-once: records processed after the last commit are processed again, so a
      // count may exceed the model (never fall short); the idempotent store must match exactly.
      expect(counts.get(key), key).to.be.at.least(count);
      duplicates += counts.get(key)! - count;
      expect(latest.get(key), key).to.equal(modelLatest.get(key));
    }
    // Duplicates come only from the uncommitted tail: far fewer than what ran before the kill.
    expect(duplicates).to.be.lessThan(killedAt);
    await app.close();
    await log.close();
  });
});
