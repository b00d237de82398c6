import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { RuntimeError } from '../errors.js';
import { configSchema, type RuntimeConfig, type RuntimeConfigInput } from './config-schema.js';
import { envOverrides } from './env-overrides.js';

/** The file looked for in the working directory when no other is named. */
export const DEFAULT_CONFIG_FILE = 'parley.yaml';

export interface LoadConfigOptions {
  /**
   * The YAML file. Default: `$PARLEY_CONFIG`, else `parley.yaml` in `cwd` when it exists, else
   * none (every default). A named file that does not exist is an error.
   */
  file?: string;
  /** Environment overrides (`PARLEY_PORT`, …) are read from here. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Relative paths given outside the file resolve against this. Default process.cwd(). */
  cwd?: string;
  /** Applied last, over the file and the environment (CLI flags). */
  overrides?: RuntimeConfigInput;
}

/**
 * Reads the configuration: defaults, then the YAML file, then environment variables, then
 * `overrides`. A relative `dataDir` from the file resolves against the file's directory, any
 * other against `cwd`. Throws RUNTIME_CONFIG_NOT_FOUND or RUNTIME_CONFIG_INVALID (with `field`).
 */
export function loadConfig(options: LoadConfigOptions = {}): RuntimeConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = configFile(options.file ?? env.PARLEY_CONFIG, cwd);
  const fromFile = file === undefined ? {} : readYaml(file);
  const fromEnv = envOverrides(env);
  const overrides = (options.overrides ?? {}) as Record<string, unknown>;
  const merged = deepMerge(deepMerge(fromFile, fromEnv.values), overrides);
  const dataDirFromFile = file !== undefined && 'dataDir' in fromFile && !('dataDir' in fromEnv.values) && overrides.dataDir === undefined;
  return resolveConfig(merged, { baseDir: dataDirFromFile ? path.dirname(file) : cwd, origins: fromEnv.sources });
}

export interface ResolveConfigOptions {
  /** A relative `dataDir` resolves against this. Default process.cwd(). */
  baseDir?: string;
  /** Dotted path → where its value came from (an environment variable), named in errors. */
  origins?: ReadonlyMap<string, string>;
}

/** Validates a configuration object and fills in the defaults; throws RUNTIME_CONFIG_INVALID. */
export function resolveConfig(input: unknown, options: ResolveConfigOptions = {}): RuntimeConfig {
  const result = configSchema.safeParse(input ?? {});
  if (!result.success) throw configInvalid(result.error.issues, options.origins ?? new Map());
  const config = result.data;
  return { ...config, dataDir: path.resolve(options.baseDir ?? process.cwd(), config.dataDir) };
}

function configFile(named: string | undefined, cwd: string): string | undefined {
  if (named !== undefined && named !== '') {
    const file = path.resolve(cwd, named);
    if (!fs.existsSync(file)) throw new RuntimeError('RUNTIME_CONFIG_NOT_FOUND', `configuration file ${file} does not exist`);
    return file;
  }
  const fallback = path.join(cwd, DEFAULT_CONFIG_FILE);
  return fs.existsSync(fallback) ? fallback : undefined;
}

function readYaml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (cause) {
    throw new RuntimeError('RUNTIME_CONFIG_NOT_FOUND', `cannot read configuration file ${file}`, { cause });
  }
  // prettyErrors off: a pretty message quotes the offending line, which may hold a secret.
  const doc = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const where = first.linePos?.[0];
    const at = where === undefined ? '' : ` at line ${where.line}, column ${where.col}`;
    throw new RuntimeError('RUNTIME_CONFIG_INVALID', `${file}${at}: not valid YAML (${first.code})`, { field: '' });
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new RuntimeError('RUNTIME_CONFIG_INVALID', `${file}: the configuration must be a mapping of keys to values`, { field: '' });
  }
  return value as Record<string, unknown>;
}

function configInvalid(issues: readonly z.core.$ZodIssue[], origins: ReadonlyMap<string, string>): RuntimeError {
  const described = issues.map((issue) => {
    const base = issue.path.map(String);
    const fields = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k].join('.')) : [base.join('.')];
    const message = issue.code === 'unrecognized_keys' ? 'unknown setting' : issue.message;
    return { field: fields[0]!, text: fields.map((f) => `${f}${origins.has(f) ? ` (from ${origins.get(f)})` : ''}`).join(', ') + `: ${message}` };
  });
  const first = described[0]!;
  return new RuntimeError('RUNTIME_CONFIG_INVALID', `invalid configuration: ${described.map((d) => d.text).join('; ')}`, { field: first.field });
}

/** Plain objects merge key by key; anything else (arrays included) in `b` replaces `a`. */
function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    if (value === undefined) continue;
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? deepMerge(prev, value) : value;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
