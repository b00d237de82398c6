import { redact, SecretSet } from './config/redact.js';

/** Levels in increasing severity; `silent` logs nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured fields of one log line; an `err` field is expanded into name, code, message and stack. */
export type LogFields = Record<string, unknown>;

/**
 * The runtime's logger. Events are named `namespace.event` (`runtime.http.listening`, C13); every
 * line is redacted (secret-named keys, known secret values) before it is written.
 */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  /** Lines below this level are dropped. Default 'info'. */
  level?: LogLevel;
  /** Receives each finished line (without a trailing newline). Default: written to stderr. */
  write?: (line: string) => void;
  /** 'json' (default): one JSON object per line. 'pretty': `time level event key=value …` for a terminal. */
  format?: 'json' | 'pretty';
  /** Secret values scrubbed from every line. Default: an empty set. */
  secrets?: SecretSet;
  /** Milliseconds since the epoch. Default Date.now. */
  clock?: () => number;
}

/** A Logger writing redacted lines; see LoggerOptions for the defaults. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  if (threshold < 0) throw new RangeError(`unknown log level ${String(options.level)}`);
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = options.secrets ?? new SecretSet();
  const clock = options.clock ?? Date.now;
  const format = options.format ?? 'json';
  const emit = (level: LogLevel, event: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const safe = redact(fields, secrets) as LogFields;
    const time = new Date(clock()).toISOString();
    write(format === 'json' ? JSON.stringify({ time, level, event, ...safe }) : pretty(time, level, event, safe));
  };
  return {
    debug: (event, fields) => emit('debug', event, fields),
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}

function pretty(time: string, level: LogLevel, event: string, fields: LogFields): string {
  const parts = [time.slice(11, 23), level.padEnd(5), event];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'err' && typeof value === 'object' && value !== null && 'stack' in value) {
      const { stack: s, ...rest } = value as { stack?: unknown };
      stack = typeof s === 'string' ? s : undefined;
      parts.push(`err=${JSON.stringify(rest)}`);
    } else {
      parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
  }
  return stack === undefined ? parts.join(' ') : `${parts.join(' ')}\n${stack}`;
}
