import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CliIo } from '../src/index.js';

const created: string[] = [];

/** A fresh directory under the OS temp dir, removed when the mocha run ends. */
export function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-cli-${label}-`));
  created.push(dir);
  return dir;
}

process.on('exit', () => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

export const CLI_SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
const BIN = path.join(CLI_SRC, 'bin.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Environment for a child `parley`: no PARLEY_* variables leak in from the test's own environment. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARLEY_')));
  return { ...env, ...extra };
}

/** A `parley` child process run from the TypeScript sources, as `npm start` runs it. */
export interface ParleyProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the output once `pattern` appears on stdout; rejects if the process exits first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

export function spawnParley(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }): ParleyProcess {
  const stdin = options.input === undefined ? 'ignore' : 'pipe';
  const child = spawn(process.execPath, ['--conditions=source', '--import', TSX, BIN, ...args], { cwd: options.cwd, env: cleanEnv(options.env ?? {}), stdio: [stdin, 'pipe', 'pipe'] });
  if (options.input !== undefined) child.stdin!.end(options.input);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const waitFor = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = out.match(pattern);
        if (match !== null) {
          clearInterval(timer);
          resolve(match);
        } else if (child.exitCode !== null || Date.now() > deadline) {
          clearInterval(timer);
          reject(new Error(`no ${pattern} in the output (exit ${child.exitCode}):\n${out}\n${err}`));
        }
      }, 20);
      const deadline = Date.now() + timeoutMs;
    });
  return { child, stdout: () => out, stderr: () => err, waitFor, exited };
}

/** Runs `parley` to completion and returns its exit code and output. */
export async function runParley(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const p = spawnParley(args, options);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** An in-memory CliIo that records what a command prints. */
export function memoryIo(cwd: string, env: NodeJS.ProcessEnv = {}): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    env,
    cwd,
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}
