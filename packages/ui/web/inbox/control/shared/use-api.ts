import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, callApi } from '../../../shared/api';

/** What a screen shows while it loads `route`: the answer, the refusal, and a way to load again. */
export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again; resolves to the answer (undefined when refused or overtaken by a later call). */
  reload: () => Promise<T | undefined>;
}

/** Calls `route` with `body` when mounted (and when either changes); `reload` calls it again. */
export function useApi<T>(route: string, body: unknown = {}): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const requestBody = JSON.stringify(body);
  // Only the latest call's answer is shown: an older one (of another body) may arrive after it.
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const call = ++latest.current;
    setLoading(true);
    try {
      const answer = await callApi<T>(route, JSON.parse(requestBody) as unknown);
      if (call !== latest.current) return undefined;
      setData(answer);
      setError(undefined);
      return answer;
    } catch (err) {
      if (call === latest.current) setError(asApiError(err));
      return undefined;
    } finally {
      if (call === latest.current) setLoading(false);
    }
  }, [route, requestBody]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload };
}

/** Any failure as an ApiError: a network failure has status 0 and code NETWORK. */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err));
}

/**
 * A form submission's state: `run` calls `action`, keeps its refusal for the form to show, and
 * resolves to the answer (undefined when refused).
 */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>): { run: (...args: A) => Promise<T | undefined>; busy: boolean; error: ApiError | undefined; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const run = async (...args: A): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action(...args);
    } catch (err) {
      setError(asApiError(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clear: () => setError(undefined) };
}

/**
 * Loads again until `check` holds for the answer, for at most `timeoutMs`: some routes answer
 * before the read model shows their write (a provider's connect appends to the log and returns),
 * so the first list after them may not show it yet.
 */
export async function reloadUntil<T>(reload: () => Promise<T | undefined>, check: (answer: T) => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await reload();
    if ((answer !== undefined && check(answer)) || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
