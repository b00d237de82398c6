/**
 * `npm start` (at the repository root, or in this folder): counts the words of a few sentences
 * with the word-count topology, on the embedded log, under `.parley-data/word-count` in the
 * repository (cleared at each start, kept afterwards to look at), and prints the counts read
 * back from the output topic.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWordCountOnEmbeddedLog } from './run-on-embedded-log.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = path.join(repoRoot, '.parley-data', 'word-count');

const sentences = [
  'All streams lead to Kafka',
  'Hello Kafka Streams',
  'Join Kafka Summit',
  'the log is the database of the stream',
];

fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });
const counts = await runWordCountOnEmbeddedLog({ dataDir, sentences });

console.log(`Counted the words of ${sentences.length} sentences (data in ${path.relative(process.cwd(), dataDir) || '.'}):`);
for (const [word, count] of [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))) {
  console.log(`  ${word.padEnd(10)} ${count}`);
}
