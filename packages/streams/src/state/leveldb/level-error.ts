import { StreamsError } from '../../errors.js';

/**
 * Wraps a classic-level (or file system) failure as STREAMS_STORE_IO with the original as
 * `cause`. A locked database (another process or instance has it open) may be freed later, so
 * that one is marked retriable.
 */
export function levelError(err: unknown, what: string): StreamsError {
  if (err instanceof StreamsError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new StreamsError('STREAMS_STORE_IO', `${what}: ${detail}`, {
    cause: err,
    retriable: hasCode(err, 'LEVEL_LOCKED'),
  });
}

/** classic-level reports a lock as LEVEL_DATABASE_NOT_OPEN caused by LEVEL_LOCKED: look down the cause chain. */
function hasCode(err: unknown, code: string): boolean {
  for (let at = err, depth = 0; at !== null && typeof at === 'object' && depth < 5; depth++) {
    if ((at as { code?: unknown }).code === code) return true;
    at = (at as { cause?: unknown }).cause;
  }
  return false;
}
