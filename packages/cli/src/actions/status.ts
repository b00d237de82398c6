import type { CliIo } from '../io.js';
import { isCliError, type RuntimeRequestError } from '../errors.js';
import { type AppStatus, type Health, type ReprocessStatus, type RuntimeClient } from '../runtime-client.js';
import { clientFor, resolveTarget, type ClientOptions } from '../target.js';
import { table } from '../text-table.js';

export { resolveTarget };

/**
 * `parley status`: the runtime's health (`GET /ready`: ready, or which check is not) and one
 * line per streams application from `apps.status`.
 */
export async function statusAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  const options = raw as ClientOptions; // shaped by CLIENT_OPTIONS
  const client = clientFor(options, io);
  const [health, status, reprocess] = await Promise.all([readiness(client), client.appsStatus(), reprocesses(client)]);
  if (options.json === true) return void io.stdout(`${JSON.stringify({ health, ...status, reprocess }, null, 2)}\n`);
  const count = `${status.data.length} streams application${status.data.length === 1 ? '' : 's'}`;
  io.stdout(`runtime ${client.url}: ${health.status}, ${count}\n`);
  if (health.status !== 'ready') io.stdout(`  ${health.message}\n`);
  if (status.data.length > 0) io.stdout(table([['NAME', 'STATE', 'LAG', 'PROCESSED', 'APPLICATION ID'], ...status.data.map(appRow)]));
  if (reprocess.length > 0) {
    const { statusText } = await import('./reprocess.js');
    io.stdout(`reprocess in progress:\n${reprocess.map(statusText).join('')}`);
  }
}

/** The reprocesses in progress; none when the runtime has no `reprocess.*` routes (`parley run --bare`) or the token may not see them. */
async function reprocesses(client: RuntimeClient): Promise<ReprocessStatus[]> {
  try {
    return (await client.call<{ data: ReprocessStatus[] }>('reprocess.status', {})).data;
  } catch (err) {
    const code = (err as RuntimeRequestError).remoteCode;
    if (isCliError(err, 'CLI_REQUEST_FAILED') && (code === 'RUNTIME_NOT_FOUND' || code === 'RUNTIME_FORBIDDEN')) return [];
    throw err;
  }
}

function appRow(a: AppStatus): string[] {
  return [a.name, a.state, String(a.lag), String(a.processed_records), a.application_id];
}

/** `GET /ready` as a value: a runtime that is not ready answers 503 RUNTIME_NOT_READY naming the failing checks. */
async function readiness(client: RuntimeClient): Promise<Health> {
  try {
    const ready = await client.ready();
    return { status: 'ready', checks: ready.checks };
  } catch (err) {
    if (isCliError(err, 'CLI_REQUEST_FAILED') && (err as RuntimeRequestError).remoteCode === 'RUNTIME_NOT_READY') return { status: 'not ready', message: err.message };
    throw err;
  }
}
