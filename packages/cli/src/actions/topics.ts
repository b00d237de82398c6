/**
 * `parley topics …`: the log's topics through the runtime's HTTP API (`topics.*` routes). The
 * embedded log belongs to the process that opened it, so the CLI never opens the log itself.
 */
import * as readline from 'node:readline';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import type { DecodedBytes, Position, TopicInfo, TopicRecord } from '../runtime-client.js';
import { clientFor, type ClientOptions } from '../target.js';
import { table } from '../text-table.js';

/** How long `tail --follow` waits before asking again once it has read everything. */
const FOLLOW_POLL_MS = 500;
const PAGE = 500;

export async function topicsListAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  const options = raw as ClientOptions & { prefix?: string };
  const client = clientFor(options, io);
  const topics: TopicInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.topicsList({ page_size: 100, ...(options.prefix === undefined ? {} : { name_prefix: options.prefix }), ...(cursor === undefined ? {} : { cursor }) });
    topics.push(...page.data);
    cursor = page.pagination_data.next_cursor ?? undefined;
  } while (cursor !== undefined);
  if (options.json === true) return void io.stdout(`${JSON.stringify({ data: topics }, null, 2)}\n`);
  const rows = topics.map((t) => [t.name, String(t.partitions.length), t.cleanup_policy, String(t.partitions.reduce((sum, p) => sum + p.end_offset, 0))]);
  io.stdout(table([['TOPIC', 'PARTITIONS', 'CLEANUP', 'END OFFSETS'], ...rows]));
}

export async function topicsDescribeAction(raw: Record<string, unknown>, io: CliIo, [name]: readonly string[]): Promise<void> {
  const options = raw as ClientOptions;
  const topic = await clientFor(options, io).topicsDescribe(name!);
  if (options.json === true) return void io.stdout(`${JSON.stringify(topic, null, 2)}\n`);
  io.stdout(
    [
      `topic           ${topic.name}`,
      `cleanup policy  ${topic.cleanup_policy}`,
      `retention       ${topic.retention_ms < 0 ? 'forever' : `${topic.retention_ms} ms`}`,
      `stored records  ${topic.stored_records}`,
      '',
    ].join('\n'),
  );
  io.stdout(table([['PARTITION', 'BEGINNING', 'END'], ...topic.partitions.map((p) => [String(p.partition), String(p.beginning_offset), String(p.end_offset)])]));
}

interface TailOptions extends ClientOptions {
  from?: 'earliest' | 'latest' | number;
  follow?: boolean;
  max?: number;
}

/**
 * Prints records until the topic is read to its end (or `--max`); with `--follow`, keeps asking
 * for new ones until SIGINT/SIGTERM. Text: `partition:offset time key value`; `--json`: one
 * record object per line.
 */
export async function topicsTailAction(raw: Record<string, unknown>, io: CliIo, [name]: readonly string[]): Promise<void> {
  const options = raw as TailOptions;
  const client = clientFor(options, io);
  const stop = stopOnSignal();
  try {
    let positions: Position[] | undefined;
    let printed = 0;
    const limit = options.max ?? Infinity;
    while (!stop.requested && printed < limit) {
      const page = await client.topicsRead({ name: name!, max_records: Math.min(PAGE, limit - printed), ...(positions === undefined ? { from: options.from ?? 'earliest' } : { positions }) });
      for (const record of page.data) io.stdout(options.json === true ? `${JSON.stringify(record)}\n` : recordLine(record));
      printed += page.data.length;
      positions = page.positions;
      if (page.caught_up && page.data.length === 0) {
        if (options.follow !== true) break;
        await stop.sleep(FOLLOW_POLL_MS);
      }
    }
  } finally {
    stop.dispose();
  }
}

function recordLine(r: TopicRecord): string {
  return `${r.partition}:${r.offset}  ${new Date(r.timestamp).toISOString()}  ${shown(r.key)}  ${shown(r.value)}\n`;
}

/** A decoded key or value on one line. */
export function shown(bytes: DecodedBytes): string {
  switch (bytes.encoding) {
    case 'null':
      return 'null';
    case 'string':
      return bytes.data as string;
    case 'base64':
      return `base64:${bytes.data as string}`;
    default:
      return JSON.stringify(bytes.data);
  }
}

/** SIGINT/SIGTERM end a follow cleanly (exit 0); `sleep` wakes up at once when they arrive. */
export function stopOnSignal(): { readonly requested: boolean; sleep(ms: number): Promise<void>; dispose(): void } {
  let requested = false;
  let wake: (() => void) | undefined;
  const onSignal = () => {
    requested = true;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get requested() {
      return requested;
    },
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

interface ProduceOptions extends ClientOptions {
  key?: string;
  value?: string;
  partition?: number;
  create?: boolean;
}

/** Appends `--value`, or each non-empty line of standard input, as one record. */
export async function topicsProduceAction(raw: Record<string, unknown>, io: CliIo, [name]: readonly string[]): Promise<void> {
  const options = raw as ProduceOptions;
  const client = clientFor(options, io);
  const values = options.value !== undefined ? [options.value] : await stdinLines(io);
  if (values.length === 0) throw new CliError('CLI_USAGE', 'nothing to produce: give --value or records on standard input, one per line');
  const offsets: Position[] = [];
  for (let i = 0; i < values.length; i += 1000) {
    const records = values.slice(i, i + 1000).map((value) => ({ key: options.key ?? null, value, ...(options.partition === undefined ? {} : { partition: options.partition }) }));
    offsets.push(...(await client.topicsProduce({ name: name!, records, ...(options.create === true ? { create: true } : {}) })).offsets);
  }
  if (options.json === true) return void io.stdout(`${JSON.stringify({ offsets }, null, 2)}\n`);
  io.stdout(`produced ${offsets.length} record${offsets.length === 1 ? '' : 's'} to ${name}\n`);
}

async function stdinLines(io: CliIo): Promise<string[]> {
  if (io.stdin === undefined) return [];
  const lines: string[] = [];
  for await (const line of readline.createInterface({ input: io.stdin, crlfDelay: Infinity })) if (line.trim().length > 0) lines.push(line);
  return lines;
}

/** Deletes a topic once the user typed its name at the prompt, or with `--yes`; never without either. */
export async function topicsDeleteAction(raw: Record<string, unknown>, io: CliIo, [name]: readonly string[]): Promise<void> {
  const options = raw as ClientOptions & { yes?: boolean };
  const client = clientFor(options, io);
  await client.topicsDescribe(name!); // STREAMS_TOPIC_NOT_FOUND before asking anything
  if (options.yes !== true) {
    if (io.interactive !== true || io.stdin === undefined) throw new CliError('CLI_USAGE', `deleting ${name} needs a confirmation: run it at a terminal, or pass --yes`);
    const answer = await ask(io, `This deletes ${name} and every record in it. Type the topic name to confirm: `);
    if (answer.trim() !== name) throw new CliError('CLI_ABORTED', 'the name did not match: nothing was deleted');
  }
  const { deleted } = await client.topicsDelete(name!);
  if (options.json === true) return void io.stdout(`${JSON.stringify({ name, deleted })}\n`);
  io.stdout(deleted ? `deleted ${name}\n` : `${name} was already gone\n`);
}

function ask(io: CliIo, question: string): Promise<string> {
  const rl = readline.createInterface({ input: io.stdin!, terminal: false });
  io.stderr(question);
  return new Promise((resolve) => {
    rl.once('line', (line) => {
      rl.close();
      resolve(line);
    });
    rl.once('close', () => resolve(''));
  });
}
