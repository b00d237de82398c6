// Child process of the memory suite: the platform (`createPlatform`, as `parley start` runs it) in
// the data directory given as first argument, with the configuration overrides of the second
// (JSON), on a free port. Prints `url <url>` once it serves; then, for each line read on stdin,
// prints `memory <JSON of process.memoryUsage()>`. On SIGTERM it stops cleanly (stores closed and
// checkpointed) and exits 0.
import { createPlatform, type RuntimeConfigInput } from '@parley/runtime';
import * as readline from 'node:readline';
import { watchEventLoop } from './event-loop-watch.js';

const dataDir = process.argv[2]!;
const overrides = JSON.parse(process.argv[3] ?? '{}') as RuntimeConfigInput;
const runtime = createPlatform({ ...overrides, dataDir, http: { host: '127.0.0.1', port: 0 }, logLevel: 'error' });
await runtime.start();
watchEventLoop(1000);
process.stdout.write(`url ${runtime.url}\n`);
readline.createInterface({ input: process.stdin }).on('line', () => process.stdout.write(`memory ${JSON.stringify(process.memoryUsage())}\n`));
process.once('SIGTERM', () => {
  void runtime.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
