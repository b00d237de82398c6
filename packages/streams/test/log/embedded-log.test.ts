import { expect } from 'chai';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import { segmentFileName } from '../../src/log/embedded/segment.js';
import type { StreamsError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const b = (s: string) => Buffer.from(s);

async function openLog(dir: string, extra: Partial<ConstructorParameters<typeof EmbeddedLog>[0]> = {}): Promise<EmbeddedLog> {
  const log = new EmbeddedLog({ dir, maintenanceIntervalMs: 0, segmentBytes: 2048, ...extra });
  await log.open();
  return log;
}

async function readAll(log: EmbeddedLog, topic: string, partition = 0) {
  const out = [];
  let offset = await log.beginningOffset({ topic, partition });
  for (;;) {
    const page = await log.read({ topic, partition }, offset, { maxRecords: 100 });
    if (page.length === 0) return out;
    out.push(...page);
    offset = page[page.length - 1]!.offset + 1;
  }
}

describe('Log > EmbeddedLog', () => {
  it('finds every acknowledged record after the writer is killed with SIGKILL mid-stream', async function () {
    this.timeout(30_000);
    const dir = tempDir('crash');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures/append-forever.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acknowledged: string[] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited with ${code}`))));
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        acknowledged.push(...lines);
        if (acknowledged.length >= 20_000 && child.exitCode === null) child.kill('SIGKILL');
      });
    });
    expect(acknowledged.length).to.be.at.least(20_000);
    const log = await openLog(dir);
    try {
      const stored = new Map<string, string>();
      for (let p = 0; p < 3; p++) {
        for (const r of await readAll(log, 'crash', p)) stored.set(`${p}:${r.offset}`, r.value!.toString());
      }
      const missing = acknowledged.filter((line) => {
        const [p, offset, value] = line.split(':');
        return stored.get(`${p}:${offset}`) !== value;
      });
      expect(missing).to.deep.equal([]);
      // The log stays appendable after recovery, with offsets continuing where they stopped.
      const [meta] = await log.append('crash', [{ key: null, value: b('after'), partition: 0 }]);
      expect(meta!.offset).to.equal(await log.endOffset({ topic: 'crash', partition: 0 }) - 1);
    } finally {
      await log.close();
    }
  });

  it('cuts a torn record off the end of a segment when it reopens', async () => {
    const dir = tempDir('torn');
    let log = await openLog(dir);
    await log.createTopics([{ name: 't' }]);
    await log.append('t', [{ key: b('a'), value: b('1') }, { key: b('b'), value: b('2') }]);
    await log.close();
    const segment = path.join(dir, 'topics', 't', '0', segmentFileName(0));
    fs.appendFileSync(segment, Buffer.from([0x40, 0, 0, 0, 1, 2, 3]));
    log = await openLog(dir);
    expect((await readAll(log, 't')).map((r) => r.value!.toString())).to.deep.equal(['1', '2']);
    const [meta] = await log.append('t', [{ key: b('c'), value: b('3') }]);
    expect(meta!.offset).to.equal(2);
    expect((await readAll(log, 't')).map((r) => r.value!.toString())).to.deep.equal(['1', '2', '3']);
    await log.close();
  });

  it('reads across many rolled segments in order', async () => {
    const log = await openLog(tempDir('segments'), { segmentBytes: 512 });
    await log.createTopics([{ name: 't' }]);
    for (let i = 0; i < 40; i++) await log.append('t', Array.from({ length: 10 }, (_, j) => ({ key: null, value: b(`${i * 10 + j}`) })));
    const records = await readAll(log, 't');
    expect(records.map((r) => Number(r.value!.toString()))).to.deep.equal(Array.from({ length: 400 }, (_, i) => i));
    expect(records.map((r) => r.offset)).to.deep.equal(Array.from({ length: 400 }, (_, i) => i));
    const middle = await log.read({ topic: 't', partition: 0 }, 237, { maxRecords: 3 });
    expect(middle.map((r) => r.offset)).to.deep.equal([237, 238, 239]);
    await log.close();
  });

  it('keeps no file open per sealed segment, however many segments a partition has', async () => {
    const openFiles = () => fs.readdirSync('/proc/self/fd').length;
    const log = await openLog(tempDir('many-segments'), { segmentBytes: 64 });
    await log.createTopics([{ name: 't' }]);
    const before = openFiles();
    for (let i = 0; i < 2000; i++) await log.append('t', [{ key: null, value: b(`record-${i}`) }]);
    expect(openFiles() - before).to.be.lessThan(10);
    const records = await readAll(log, 't');
    expect(records.map((r) => r.value!.toString())).to.deep.equal(Array.from({ length: 2000 }, (_, i) => `record-${i}`));
    expect(openFiles() - before).to.be.lessThan(10);
    await log.close();
  });

  it('drops segments older than the retention time and moves the beginning offset', async () => {
    let now = 1_000_000;
    const log = await openLog(tempDir('retention'), { segmentBytes: 256, clock: () => now });
    await log.createTopics([{ name: 't', config: { retentionMs: 10_000 } }]);
    for (let i = 0; i < 20; i++) await log.append('t', [{ key: null, value: b(`old-${i}`), timestamp: now }]);
    // Retention works on whole segments (as in Kafka): close the one holding the old records.
    log.roll('t');
    now += 60_000;
    for (let i = 0; i < 5; i++) await log.append('t', [{ key: null, value: b(`new-${i}`), timestamp: now }]);
    log.roll('t');
    log.maintain('t');
    const tp = { topic: 't', partition: 0 };
    const records = await readAll(log, 't');
    expect(records.every((r) => r.value!.toString().startsWith('new-'))).to.equal(true);
    expect(records).to.have.length(5);
    expect(await log.beginningOffset(tp)).to.equal(20);
    expect(await log.endOffset(tp)).to.equal(25);
    await log.close();
  });

  it('rebalances a running group when a topic it reads is created, not when an existing one is created again with ifNotExists', async () => {
    const log = await openLog(tempDir('recreate'));
    await log.createTopics([{ name: 't' }]);
    let assignments = 0;
    const consumer = log.consumer({ groupId: 'g', topics: ['t', 'later'], onAssigned: () => void assignments++ });
    await consumer.run(() => undefined);
    const settled = assignments;
    await log.createTopics([{ name: 't' }], { ifNotExists: true });
    expect(assignments, 'an existing topic created again').to.equal(settled);
    await log.createTopics([{ name: 'later' }], { ifNotExists: true });
    expect(assignments, 'a new topic of the group').to.equal(settled + 1);
    await consumer.stop();
    await log.close();
  });

  it('refuses a second open of the same directory with STREAMS_LOG_LOCKED', async () => {
    const dir = tempDir('lock');
    const log = await openLog(dir);
    try {
      await openLog(dir);
      expect.fail('second open succeeded');
    } catch (err) {
      expect((err as StreamsError).code).to.equal('STREAMS_LOG_LOCKED');
    }
    await log.close();
    const again = await openLog(dir);
    await again.close();
  });

  it('compaction keeps exactly the latest live value per key, at its original offset (property)', async function () {
    this.timeout(60_000);
    type Op = { kind: 'put'; key: number; value: number } | { kind: 'delete'; key: number } | { kind: 'roll' } | { kind: 'compact' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('put' as const), key: fc.integer({ min: 0, max: 7 }), value: fc.nat(1000) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 7 }) }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'roll' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const log = await openLog(tempDir('compact-prop'), { segmentBytes: 200 });
        try {
          await log.createTopics([{ name: 'c', config: { cleanupPolicy: 'compact', deleteRetentionMs: 0 } }]);
          const model = new Map<string, { offset: number; value: string }>();
          const appended = new Map<number, string | null>();
          for (const o of ops) {
            if (o.kind === 'roll') log.roll('c');
            else if (o.kind === 'compact') log.maintain('c');
            else {
              const value = o.kind === 'put' ? `v${o.value}` : null;
              const [meta] = await log.append('c', [{ key: b(`k${o.key}`), value: value === null ? null : b(value), timestamp: 0 }]);
              appended.set(meta!.offset, value);
              if (value === null) model.delete(`k${o.key}`);
              else model.set(`k${o.key}`, { offset: meta!.offset, value });
            }
          }
          log.roll('c');
          log.maintain('c');
          const records = await readAll(log, 'c');
          const offsets = records.map((r) => r.offset);
          expect(offsets).to.deep.equal([...offsets].sort((x, y) => x - y));
          for (const r of records) expect(r.value?.toString() ?? null).to.equal(appended.get(r.offset));
          const live = new Map(records.map((r) => [r.key!.toString(), { offset: r.offset, value: r.value!.toString() }]));
          expect(records.every((r) => r.value !== null)).to.equal(true);
          expect(live).to.deep.equal(model);
          expect(records).to.have.length(model.size);
        } finally {
          await log.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('committed offsets always equal the last commit per group and partition, across reopens (property)', async function () {
    this.timeout(60_000);
    const commit = fc.record({
      group: fc.constantFrom('g1', 'g2', 'g/3'),
      partition: fc.integer({ min: 0, max: 2 }),
      offset: fc.nat(1_000_000),
      reopen: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(commit, { maxLength: 30 }), async (commits) => {
        const dir = tempDir('offsets-prop');
        let log = await openLog(dir);
        try {
          await log.createTopics([{ name: 't', partitions: 3 }]);
          const model = new Map<string, Map<number, number>>();
          for (const c of commits) {
            await log.commitOffsets(c.group, [{ topic: 't', partition: c.partition, offset: c.offset }]);
            model.set(c.group, (model.get(c.group) ?? new Map()).set(c.partition, c.offset));
            if (c.reopen) {
              await log.close();
              log = await openLog(dir);
            }
          }
          for (const group of ['g1', 'g2', 'g/3']) {
            const expected = [...(model.get(group) ?? new Map<number, number>())]
              .sort(([a], [z]) => a - z)
              .map(([partition, offset]) => ({ topic: 't', partition, offset }));
            expect(await log.committedOffsets(group, 't')).to.deep.equal(expected);
          }
        } finally {
          await log.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
