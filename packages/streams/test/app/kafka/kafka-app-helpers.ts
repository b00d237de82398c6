import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaLog } from '../../../src/log/kafka/kafka-log.js';
import type { KafkaLogOptions } from '../../../src/log/kafka/kafka-log-options.js';
import type { Log, LogRecord } from '../../../src/log/types.js';
import { kafkaBrokers } from '../../helpers/services.js';
import { readTopic, until } from '../app-helpers.js';
import type { MemberConfig, MemberStatus } from '../fixtures/kafka-member.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A name no other test (or earlier run against the same broker) uses. */
export const uniqueName = (label: string): string => `${label}-${randomBytes(4).toString('hex')}`;

export async function openKafkaLog(extra: Partial<KafkaLogOptions> = {}): Promise<KafkaLog> {
  const log = new KafkaLog({ brokers: kafkaBrokers(), heartbeatIntervalMs: 500, sessionTimeoutMs: 6000, consumerMaxWaitMs: 100, ...extra });
  await log.open();
  return log;
}

/** A StreamsApp member in a child process (fixtures/kafka-member.ts), followed through its status lines. */
export class Member {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  status: MemberStatus = { state: 'starting', processed: 0, partitions: [], retries: 0 };
  stderr = '';

  constructor(config: MemberConfig) {
    this.child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', path.join(fixtures, 'kafka-member.ts'), JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      const last = lines.filter((l) => l.startsWith('{')).pop();
      if (last !== undefined) this.status = JSON.parse(last) as MemberStatus;
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Waits until the member's status satisfies `condition`; fails early if the member dies. */
  async waitFor(what: string, condition: (s: MemberStatus) => boolean, timeoutMs = 30_000): Promise<void> {
    try {
      await until(() => {
        if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`member exited: ${this.stderr}`);
        return condition(this.status);
      }, timeoutMs);
    } catch (err) {
      throw new Error(`member ${this.child.pid} never got to ${what} (last status ${JSON.stringify(this.status)}): ${(err as Error).message}\n${this.stderr}`, { cause: err });
    }
  }

  /** SIGTERM (a clean close) or SIGKILL; resolves once the process is gone. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}

/** Input of the scale-out tests: record `seq` has key `k<seq·7 mod keys>` and value `seq`. */
export const sequencedRecord = (seq: number, keys: number): [string, string] => [`k${(seq * 7) % keys}`, String(seq)];

/**
 * Appends records `from … from+count-1` in one call and returns those the log acknowledged
 * (all of them, or it throws: an append is all or nothing for the test's purposes).
 */
export async function appendSequenced(log: Log, topic: string, from: number, count: number, keys: number): Promise<Array<[string, string]>> {
  const entries = Array.from({ length: count }, (_, i) => sequencedRecord(from + i, keys));
  await log.append(topic, entries.map(([k, v]) => ({ key: Buffer.from(k), value: Buffer.from(v), timestamp: Date.now() })));
  return entries;
}

/** Resolves once the group's committed offsets reach the end of every partition of `topic`. */
export async function waitUntilCommitted(log: Log, groupId: string, topic: string, timeoutMs = 30_000): Promise<void> {
  const { partitions } = await log.describeTopic(topic);
  await until(async () => {
    const committed = new Map((await log.committedOffsets(groupId, topic)).map((o) => [o.partition, o.offset]));
    for (let partition = 0; partition < partitions; partition++) {
      if ((committed.get(partition) ?? -1) < (await log.endOffset({ topic, partition }))) return false;
    }
    return true;
  }, timeoutMs);
}

/** The latest int32 value per key of a changelog topic (what a restore would rebuild). */
export async function changelogState(log: Log, topic: string): Promise<Map<string, number>> {
  const state = new Map<string, number>();
  const records: LogRecord[] = await readTopic(log, topic);
  for (const r of records) {
    if (r.value === null) state.delete(r.key!.toString());
    else state.set(r.key!.toString(), r.value.readInt32BE());
  }
  return state;
}

export function modelOf(entries: ReadonlyArray<[string, string]>): { counts: Map<string, number>; latest: Map<string, number> } {
  const counts = new Map<string, number>();
  const latest = new Map<string, number>();
  for (const [k, v] of entries) {
    counts.set(k, (counts.get(k) ?? 0) + 1);
    latest.set(k, Math.max(latest.get(k) ?? -1, Number(v)));
  }
  return { counts, latest };
}

/** Output records `<seq>:<count>` of the sequenced topology, per key in log order. */
export async function sequencedOutputs(log: Log, topic: string): Promise<Map<string, Array<{ seq: number; count: number }>>> {
  const out = new Map<string, Array<{ seq: number; count: number }>>();
  for (const r of await readTopic(log, topic)) {
    const [seq, count] = r.value!.toString().split(':').map(Number) as [number, number];
    const key = r.key!.toString();
    let list = out.get(key);
    if (list === undefined) out.set(key, (list = []));
    list.push({ seq, count });
  }
  return out;
}
