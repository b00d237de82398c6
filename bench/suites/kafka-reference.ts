import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'kafka-streams-reference');
const jar = path.join(project, 'target', 'kafka-streams-reference.jar');

export interface ReferenceRun {
  brokers: string[];
  workload: 'stateless' | 'count';
  input: string;
  output: string;
  /** The input topic holds exactly this many records from offset 0. */
  records: number;
  applicationId: string;
}

/** Newest modification time under `dir`, in ms. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Builds bench/kafka-streams-reference/ with `mvn -q -B package` when its jar is missing or
 * older than the pom or a source file (Maven fetches kafka-streams 3.9.2 from Maven Central on
 * the first build, ~15 MB).
 */
export async function buildReference(): Promise<void> {
  const sources = Math.max(fs.statSync(path.join(project, 'pom.xml')).mtimeMs, newestMtime(path.join(project, 'src')));
  if (fs.existsSync(jar) && fs.statSync(jar).mtimeMs >= sources) return;
  process.stderr.write('kafka: building the Kafka Streams reference program with Maven...\n');
  await exec('mvn', ['-q', '-B', '-ntp', '-Dstyle.color=never', 'package'], { cwd: project, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Runs the Java program on one workload in a fresh JVM and returns records per second, timed by
 * the program itself from `KafkaStreams.start()` until all records are processed and committed
 * (JVM start-up is not counted).
 */
export async function referenceRate(run: ReferenceRun): Promise<number> {
  await buildReference();
  const classpath = `${jar}${path.delimiter}${path.join(project, 'target', 'lib', '*')}`;
  const args = [
    '-cp', classpath, 'dev.parley.bench.KafkaStreamsReference',
    '--brokers', run.brokers.join(','),
    '--workload', run.workload,
    '--input', run.input,
    '--output', run.output,
    '--records', String(run.records),
    '--application-id', run.applicationId,
  ];
  const { stdout } = await exec('java', args, { maxBuffer: 16 * 1024 * 1024, timeout: 660_000 });
  const line = stdout.trim().split('\n').pop() ?? '';
  const result = JSON.parse(line) as { records: number; seconds: number };
  if (result.records !== run.records || !(result.seconds > 0)) throw new Error(`unexpected output of the reference program: ${line}`);
  return Math.round(result.records / result.seconds);
}
