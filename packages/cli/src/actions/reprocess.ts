/**
 * `parley reprocess start | status | diff | promote | rollback | finalize | abort`: clients of
 * the runtime's `reprocess.*` routes (docs/reprocessing.md).
 */
import * as path from 'node:path';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { progressLine, progressView } from '../reprocess-progress.js';
import type { ReprocessDiffResponse, ReprocessEndResponse, ReprocessPromoteResponse, ReprocessRollbackResponse, ReprocessStatus, RuntimeClient } from '../runtime-client.js';
import { clientFor, type ClientOptions } from '../target.js';
import { table } from '../text-table.js';
import { shown, stopOnSignal } from './topics.js';

const POLL_MS = 500;

interface StartOptions extends ClientOptions {
  from?: 'earliest' | 'latest' | number;
  with?: string;
  detach?: boolean;
}

/** Starts (or resumes) a shadow, then shows its progress until it has caught up (unless --detach). */
export async function reprocessStartAction(raw: Record<string, unknown>, io: CliIo, [topology]: readonly string[]): Promise<void> {
  const options = raw as StartOptions;
  if (options.from === 'latest') throw new CliError('CLI_USAGE', '--from takes earliest or a time: a reprocess from latest would reprocess nothing');
  const client = clientFor(options, io);
  const body = { topology, from: options.from ?? 'earliest', ...(options.with === undefined ? {} : { module: path.resolve(io.cwd, options.with) }) };
  let status = await client.call<ReprocessStatus>('reprocess.start', body);
  if (options.json !== true) io.stdout(`reprocessing ${status.topology} as ${status.application_id} (generation ${status.generation}) from ${fromText(status.from)}; outputs go to ${status.outputs.map((o) => o.shadow_topic).join(', ') || '(none)'}\n`);
  if (options.detach !== true) status = await followProgress(client, status, io, options.json === true);
  if (options.json === true) return void io.stdout(`${JSON.stringify(status, null, 2)}\n`);
  if (status.caught_up) io.stdout(`caught up: compare with \`parley reprocess diff\`, then \`parley reprocess promote\` or \`parley reprocess abort\`\n`);
  else io.stdout(`the shadow keeps running in the runtime: follow it with \`parley reprocess status\`\n`);
}

/** Polls `reprocess.status` until caught up, Ctrl+C (the shadow keeps running) or a failed shadow (CLI_REPROCESS_FAILED). */
async function followProgress(client: RuntimeClient, first: ReprocessStatus, io: CliIo, quiet: boolean): Promise<ReprocessStatus> {
  const view = quiet ? undefined : progressView(io);
  const stop = stopOnSignal();
  let status = first;
  try {
    for (;;) {
      view?.update(status);
      if (status.state === 'error') throw new CliError('CLI_REPROCESS_FAILED', `the shadow ${status.application_id} stopped with an error (see the runtime's log): fix it, then \`parley reprocess abort\``);
      if (status.caught_up || stop.requested) return status;
      await stop.sleep(POLL_MS);
      [status] = (await client.call<{ data: ReprocessStatus[] }>('reprocess.status', { topology: status.topology })).data as [ReprocessStatus];
    }
  } finally {
    view?.stop();
    stop.dispose();
  }
}

interface WhichOptions extends ClientOptions {
  topology?: string;
}

function which(options: WhichOptions): { topology?: string } {
  return options.topology === undefined ? {} : { topology: options.topology };
}

/** The reprocesses in progress with their progress per input. */
export async function reprocessStatusAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  const options = raw as WhichOptions;
  const { data } = await clientFor(options, io).call<{ data: ReprocessStatus[] }>('reprocess.status', which(options));
  if (options.json === true) return void io.stdout(`${JSON.stringify({ data }, null, 2)}\n`);
  if (data.length === 0) return void io.stdout('no reprocess in progress\n');
  for (const s of data) io.stdout(statusText(s));
}

/** What `parley reprocess status` (and `parley status`) print for one reprocess. */
export function statusText(s: ReprocessStatus): string {
  const head = `${s.topology}: generation ${s.generation} ${s.phase} as ${s.application_id} (${s.state}${s.phase === 'running' ? (s.caught_up ? ', caught up' : `, lag ${s.lag}`) : ''}); previous ${s.previous_application_id}; module ${s.module ?? '(registered definition)'}\n`;
  return head + s.inputs.map((i) => `  ${progressLine(i)}\n`).join('');
}

interface DiffOptions extends WhichOptions {
  samples?: number;
}

/** Added, removed and changed keys per output, with samples. */
export async function reprocessDiffAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  const options = raw as DiffOptions;
  const diff = await clientFor(options, io).call<ReprocessDiffResponse>('reprocess.diff', { ...which(options), ...(options.samples === undefined ? {} : { samples: options.samples }) });
  if (options.json === true) return void io.stdout(`${JSON.stringify(diff, null, 2)}\n`);
  io.stdout(`${diff.topology} generation ${diff.generation}${diff.caught_up ? '' : ' (not caught up yet: the counts will still move)'}\n`);
  const count = (n: number | null) => (n === null ? '-' : String(n));
  io.stdout(table([['OUTPUT', 'ADDED', 'REMOVED', 'CHANGED', 'UNCHANGED', 'SHADOW RECORDS'], ...diff.outputs.map((o) => [o.topic, count(o.added), count(o.removed), count(o.changed), count(o.unchanged), String(o.shadow_records)])]));
  for (const o of diff.outputs) {
    for (const s of o.samples) io.stdout(`  ${s.kind} ${o.topic} ${shown(s.key)}\n    live:   ${shown(s.before)}\n    shadow: ${shown(s.after)}\n`);
  }
}

export async function reprocessPromoteAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  const options = raw as WhichOptions;
  const result = await clientFor(options, io).call<ReprocessPromoteResponse>('reprocess.promote', which(options));
  if (options.json === true) return void io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  io.stdout(`promoted ${result.reprocess.topology}: ${result.reprocess.application_id} is live; ${appliedText(result.applied)}${result.settled ? '' : ' (the live applications are still taking them in)'}\n`);
  io.stdout(`the old version ${result.reprocess.previous_application_id} is kept: \`parley reprocess rollback\` returns to it, \`parley reprocess finalize\` removes it\n`);
}

export async function reprocessRollbackAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  const options = raw as WhichOptions;
  const result = await clientFor(options, io).call<ReprocessRollbackResponse>('reprocess.rollback', which(options));
  if (options.json === true) return void io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  io.stdout(`rolled back ${result.topology} generation ${result.generation}: ${appliedText(result.applied)}; the shadow is removed\n`);
}

export async function reprocessFinalizeAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  await ending('finalize', raw, io, (r) => `finalized ${r.topology} generation ${r.generation}: removed ${r.removed_application_id} and the shadow topics\n`);
}

export async function reprocessAbortAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  await ending('abort', raw, io, (r) => `aborted ${r.topology} generation ${r.generation}: removed ${r.removed_application_id} and its shadow topics; the live version is untouched\n`);
}

async function ending(route: 'finalize' | 'abort', raw: Record<string, unknown>, io: CliIo, text: (r: ReprocessEndResponse) => string): Promise<void> {
  const options = raw as WhichOptions;
  const result = await clientFor(options, io).call<ReprocessEndResponse>(`reprocess.${route}`, which(options));
  io.stdout(options.json === true ? `${JSON.stringify(result, null, 2)}\n` : text(result));
}

function appliedText(applied: Record<string, number>): string {
  const entries = Object.entries(applied);
  return entries.length === 0 ? 'no key differed' : `wrote ${entries.map(([topic, n]) => `${n} to ${topic}`).join(', ')}`;
}

function fromText(from: 'earliest' | number): string {
  return from === 'earliest' ? 'the earliest records' : new Date(from).toISOString();
}
