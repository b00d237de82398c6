import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from '../../helpers/temp-dir.js';

const run = promisify(execFile);
const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../scripts/kafka.sh');

/**
 * A broker of a test's own (scripts/kafka.sh in a private services directory), so the test can
 * stop and restart it without disturbing the shared one. `stop({ keepData: true })` then
 * `start()` is a broker outage: same port, same data.
 */
export class OwnBroker {
  readonly #env = { ...process.env, PARLEY_SERVICES_DIR: tempDir('own-kafka') };
  brokers: string[] = [];

  async start(): Promise<string[]> {
    const { stdout } = await run('bash', [script, 'start'], { env: this.#env });
    const line = stdout.split('\n').find((l) => l.startsWith('KAFKA_BROKERS='));
    if (line === undefined) throw new Error(`kafka.sh start printed no KAFKA_BROKERS: ${stdout}`);
    this.brokers = line.slice('KAFKA_BROKERS='.length).split(',');
    return this.brokers;
  }

  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    await run('bash', [script, 'stop', ...(options.keepData === true ? ['--keep-data'] : [])], { env: this.#env });
  }
}
