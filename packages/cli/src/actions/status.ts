import * as path from 'node:path';
import type { CliIo } from '../io.js';
import { DEFAULT_DATA_DIR, DEFAULT_URL, readRuntimeUrl, readSystemToken } from '../local-files.js';
import { RuntimeClient, type AppStatus } from '../runtime-client.js';

interface StatusOptions {
  url?: string;
  token?: string;
  dataDir?: string;
  json?: boolean;
}

/**
 * Which runtime to ask and with which token: flags, then PARLEY_URL / PARLEY_TOKEN, then what
 * the data directory holds, then the default URL. The system token found on disk is sent only to
 * a runtime on this machine (a loopback URL), never to a remote one.
 */
export function resolveTarget(options: Pick<StatusOptions, 'url' | 'token' | 'dataDir'>, io: Pick<CliIo, 'cwd' | 'env'>): { url: string; token: string | undefined } {
  const dataDir = path.resolve(io.cwd, options.dataDir ?? io.env.PARLEY_DATA_DIR ?? DEFAULT_DATA_DIR);
  const url = options.url ?? io.env.PARLEY_URL ?? readRuntimeUrl(dataDir) ?? DEFAULT_URL;
  const token = options.token ?? io.env.PARLEY_TOKEN ?? (isLoopback(url) ? readSystemToken(dataDir) : undefined);
  return { url, token };
}

/** `parley status`: calls `apps.status` and prints one line per streams application. */
export async function statusAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  const options = raw as StatusOptions; // shaped by STATUS_OPTIONS
  const { url, token } = resolveTarget(options, io);
  const status = await new RuntimeClient({ url, token }).appsStatus();
  if (options.json === true) return void io.stdout(`${JSON.stringify(status, null, 2)}\n`);
  io.stdout(`runtime ${url}: ${status.data.length} streams application${status.data.length === 1 ? '' : 's'}\n`);
  if (status.data.length > 0) io.stdout(table(status.data));
}

function table(apps: readonly AppStatus[]): string {
  const rows = [['NAME', 'STATE', 'LAG', 'PROCESSED', 'APPLICATION ID'], ...apps.map((a) => [a.name, a.state, String(a.lag), String(a.processed_records), a.application_id])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
