import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DiffCase, DiffOutput } from './cases.js';

interface Reply {
  id: number;
  outputs?: DiffOutput[];
  error?: string;
}

/**
 * The Kafka Streams side: one long-lived JVM running scripts/kafka-streams-differential's runner
 * (JVM start-up costs seconds, a case milliseconds). Cases go as JSON lines on its stdin, one
 * reply line each comes back on its stdout, matched by id.
 */
export class KafkaStreamsRunner {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, { resolve: (o: DiffOutput[]) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  #stderr = '';
  #exited: Error | undefined;
  readonly #stateDir: string;

  constructor(classpath: string) {
    // Kafka's driver flushes RocksDB and writes checkpoints after every record: on tmpfs that
    // costs a quarter of what it does on disk.
    this.#stateDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'parley-differential-'));
    const jvm = ['-XX:+UseSerialGC', `-Ddifferential.stateDir=${this.#stateDir}`, '-cp', classpath, 'DifferentialRunner'];
    this.#child = spawn('java', jvm, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4000);
    });
    createInterface({ input: this.#child.stdout }).on('line', (line) => this.#reply(JSON.parse(line) as Reply));
    this.#child.on('exit', (code, signal) => {
      this.#exited = new Error(`the Kafka Streams runner exited (${signal ?? code}): ${this.#stderr}`);
      for (const { reject } of this.#pending.values()) reject(this.#exited);
      this.#pending.clear();
    });
    this.#child.on('error', (error) => {
      this.#exited = error;
      for (const { reject } of this.#pending.values()) reject(error);
      this.#pending.clear();
    });
  }

  run(c: DiffCase): Promise<DiffOutput[]> {
    if (this.#exited !== undefined) return Promise.reject(this.#exited);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.stdin.write(`${JSON.stringify({ id, ...c })}\n`);
    });
  }

  #reply(reply: Reply): void {
    const waiter = this.#pending.get(reply.id);
    if (waiter === undefined) return;
    this.#pending.delete(reply.id);
    if (reply.error !== undefined || reply.outputs === undefined) waiter.reject(new Error(`Kafka Streams failed the case: ${reply.error}`));
    else waiter.resolve(reply.outputs);
  }

  /** Closes stdin (the runner exits at end of input) and waits for the JVM to exit. */
  async close(): Promise<void> {
    if (this.#exited === undefined) {
      const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
      this.#child.stdin.end();
      await exited;
    }
    rmSync(this.#stateDir, { recursive: true, force: true });
  }
}
