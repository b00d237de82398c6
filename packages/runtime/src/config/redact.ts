/**
 * Secrets must never reach a log line or an HTTP response. Two nets catch them: by name (a string
 * under a key that names a secret, such as `jwtSecret`, `appSecret`, `authToken`) and by value
 * (every secret the runtime knows of — configured, generated — is replaced wherever it appears
 * inside any string, e.g. an error message that quotes a header).
 */

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Key names whose string values are secrets. */
const SECRET_KEY = /secret|token|password|passwd|credential|private|signature|key$|safile/i;

/** Secrets shorter than this are not replaced inside other strings: they would garble every line. */
const MIN_SECRET_LENGTH = 4;

/** The secret values one runtime knows; grows when a token or a JWT secret is generated. */
export class SecretSet {
  readonly #values = new Set<string>();

  /** Adds secret values; non-strings and very short strings are ignored. */
  add(...values: unknown[]): this {
    for (const value of values) {
      if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) this.#values.add(value);
    }
    return this;
  }

  get size(): number {
    return this.#values.size;
  }

  /** `text` with every known secret replaced by `[redacted]`. */
  scrub(text: string): string {
    let out = text;
    // A replacement can form a new occurrence with its neighbours ("d]x" next to "[redacted]"),
    // so repeat until none is left; give up on the whole string if that takes unusually long.
    for (let pass = 0; pass < 8; pass++) {
      let changed = false;
      for (const secret of this.#values) {
        if (!out.includes(secret)) continue;
        out = out.split(secret).join(REDACTED);
        changed = true;
      }
      if (!changed) return out;
    }
    return REDACTED;
  }
}

/** True when a value stored under `key` is treated as a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * A deep copy of `value` fit for a log line: strings under secret-named keys are replaced, known
 * secret values are scrubbed from every string, Errors become `{ name, code, message, stack }`.
 * Cycles are cut (`[circular]`).
 */
export function redact(value: unknown, secrets: SecretSet = new SecretSet()): unknown {
  return redactInner(value, secrets, new WeakSet());
}

function redactInner(value: unknown, secrets: SecretSet, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return secrets.scrub(value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return redactInner(errorFields(value), secrets, seen);
  if (Array.isArray(value)) return value.map((v) => redactInner(v, secrets, seen));
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[secrets.scrub(key)] = typeof v === 'string' && isSecretKey(key) ? REDACTED : redactInner(v, secrets, seen);
  }
  return out;
}

function errorFields(err: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { name: err.name, message: err.message };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) fields.code = code;
  if (err.stack !== undefined) fields.stack = err.stack;
  if (err.cause !== undefined) fields.cause = err.cause;
  return fields;
}
