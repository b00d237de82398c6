import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, callApi } from '../../../shared/api';

/** What a screen shows while it loads `route`: the answer, the refusal, and a way to load again. */
export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/** Calls `route` with `body` when mounted (and when either changes); `reload` calls it again. */
export function useApi<T>(route: string, body: unknown = {}): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const requestBody = JSON.stringify(body);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await callApi<T>(route, JSON.parse(requestBody) as unknown));
      setError(undefined);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setLoading(false);
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
