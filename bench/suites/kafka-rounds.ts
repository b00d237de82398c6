import type { Log } from '@parley/streams';

/**
 * Median of `rounds` rates; round `n` gets its number so it can name fresh topics and groups.
 * A figure whose round fails is reported on stderr and comes back undefined (left out of the
 * table), so one failing workload does not cost the other figures; the exit code becomes 1.
 */
export async function medianOfRounds(label: string, rounds: number, round: (n: number) => Promise<number>): Promise<number | undefined> {
  const rates: number[] = [];
  try {
    for (let n = 0; n < rounds; n++) {
      rates.push(await round(n));
      process.stderr.write(`  ${label} round ${n + 1}/${rounds}: ${rates[n]!.toLocaleString('en-US')} records/s\n`);
    }
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`  ${label}: NOT MEASURED, round ${rates.length + 1} failed: ${typeof code === 'string' ? `${code}: ` : ''}${message}\n`);
    process.exitCode = 1;
    return undefined;
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}

/**
 * Throws unless the 1-partition output topic ended up with `min`..`max` records: a run that wrote
 * the wrong output would make its rate meaningless. At-least-once without failures writes exact
 * counts, so the bounds can be tight.
 */
export async function expectOutput(log: Log, topic: string, [min, max]: readonly [number, number]): Promise<void> {
  const written = await log.endOffset({ topic, partition: 0 });
  if (written < min || written > max) throw new Error(`${topic} holds ${written} records, expected ${min === max ? min : `${min}..${max}`}`);
}

/**
 * Throws unless `topic` was written in transactions and holds exactly `expected` committed
 * records: commit markers take offsets too, so the end offset must be past `expected` (a run
 * that silently fell back to at-least-once has no markers), and a read_committed read must
 * return `expected` records.
 */
export async function expectTransactionalOutput(log: Log, topic: string, expected: number): Promise<void> {
  const tp = { topic, partition: 0 };
  const end = await log.endOffset(tp);
  if (end <= expected) throw new Error(`${topic} ends at offset ${end}: no transaction markers, so the run was not transactional`);
  let records = 0;
  for (let offset = 0; offset < end; ) {
    const page = await log.read(tp, offset, { maxRecords: 10_000 });
    if (page.length === 0) break;
    records += page.length;
    offset = page[page.length - 1]!.offset + 1;
  }
  if (records !== expected) throw new Error(`${topic} holds ${records} committed records, expected ${expected}`);
}
