import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Runs `body` against the broker named by KAFKA_BROKERS or, when it is not set, against a broker
 * started here with scripts/kafka.sh and stopped afterwards. The broker started here lives in a
 * private services directory (as under scripts/test.sh), so it never reuses nor stops a broker
 * someone else started from this checkout.
 */
export async function withKafkaBroker<T>(body: (brokers: string[]) => Promise<T>): Promise<T> {
  const fromEnv = process.env['KAFKA_BROKERS'];
  if (fromEnv) return body(fromEnv.split(',').map((b) => b.trim()).filter(Boolean));
  const servicesDir = path.join(root, '.services', `bench-run-${process.pid}`);
  const env = { ...process.env, PARLEY_SERVICES_DIR: servicesDir };
  const script = path.join(root, 'scripts', 'kafka.sh');
  fs.mkdirSync(servicesDir, { recursive: true });
  // Ctrl-C must not leave a broker running in a directory nobody will look at.
  const interrupted = (signal: NodeJS.Signals) => {
    try {
      execFileSync('bash', [script, 'stop'], { env, stdio: 'inherit' });
    } finally {
      fs.rmSync(servicesDir, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    process.stderr.write('kafka: starting a broker with scripts/kafka.sh...\n');
    const { stdout } = await run('bash', [script, 'start'], { env, maxBuffer: 16 * 1024 * 1024 });
    const line = stdout.split('\n').find((l) => l.startsWith('KAFKA_BROKERS='));
    if (line === undefined) throw new Error(`scripts/kafka.sh start printed no KAFKA_BROKERS line:\n${stdout}`);
    return await body(line.slice('KAFKA_BROKERS='.length).split(','));
  } finally {
    process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
    await run('bash', [script, 'stop'], { env }).catch((err: unknown) => process.stderr.write(`kafka: stop failed: ${String(err)}\n`));
    fs.rmSync(servicesDir, { recursive: true, force: true });
  }
}
