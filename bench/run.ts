/**
 * `npm run bench`: runs every suite in this process, prints a table, appends it to
 * docs/benchmarks.md with the date and the machine, and writes bench/results/latest.json.
 * `npm run bench -- log.embedded` runs only the suites whose name starts with the argument.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult, BenchSuite } from './lib/types.js';
import { suites } from './suites/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2];

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

function table(results: BenchResult[]): string {
  const rows = results.map((r) => `| ${r.name} | ${r.value.toLocaleString('en-US')} | ${r.unit} | ${r.note ?? ''} |`);
  return ['| benchmark | value | unit | workload |', '|---|---:|---|---|', ...rows].join('\n');
}

async function main(): Promise<void> {
  const selected: BenchSuite[] = suites.filter((s) => !filter || s.name.startsWith(filter));
  const results: BenchResult[] = [];
  for (const suite of selected) {
    process.stderr.write(`running ${suite.name}...\n`);
    results.push(...(await suite.run()));
  }
  const text = table(results);
  console.log(text);
  const resultsDir = path.join(root, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  const heading = `\n## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n\nMachine: ${machine()}. Command: \`npm run bench${filter ? ` -- ${filter}` : ''}\`.\n\n`;
  fs.appendFileSync(path.join(root, 'docs', 'benchmarks.md'), heading + text + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
