import * as path from 'node:path';
import type { CliIo } from './io.js';
import { DEFAULT_DATA_DIR, DEFAULT_URL, readRuntimeUrl, readSystemToken } from './local-files.js';
import { RuntimeClient } from './runtime-client.js';

/** The client options every command talking to the runtime takes (CLIENT_OPTIONS). */
export interface ClientOptions {
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
export function resolveTarget(options: Pick<ClientOptions, 'url' | 'token' | 'dataDir'>, io: Pick<CliIo, 'cwd' | 'env'>): { url: string; token: string | undefined } {
  const dataDir = path.resolve(io.cwd, options.dataDir ?? io.env.PARLEY_DATA_DIR ?? DEFAULT_DATA_DIR);
  const url = options.url ?? io.env.PARLEY_URL ?? readRuntimeUrl(dataDir) ?? DEFAULT_URL;
  const token = options.token ?? io.env.PARLEY_TOKEN ?? (isLoopback(url) ? readSystemToken(dataDir) : undefined);
  return { url, token };
}

/** A client of the runtime the options point at. */
export function clientFor(options: ClientOptions, io: CliIo): RuntimeClient {
  return new RuntimeClient(resolveTarget(options, io));
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
