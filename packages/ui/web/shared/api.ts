/**
 * The Core API from the browser: `POST /<route>` with a JSON body, same origin. The inbox signs in
 * with `auth.login`, which sets the session cookie that these calls carry; a bearer token in
 * sessionStorage (`parley.token`) is sent instead when present (tests and scripted sessions).
 */

export interface ApiErrorBody {
  message: string;
  code: string;
}

/** A refused call: the runtime's `{ message, code }` and the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const TOKEN_KEY = 'parley.token';

/** Routes whose 401 is an answer about credentials, not a lost session. */
const LOGIN_ROUTES = new Set(['auth.login', 'auth.setup', 'auth.session']);
const sessionLostListeners = new Set<(error: ApiError) => void>();

/** Called when any call answers 401 (the session expired or was ended elsewhere); returns an unsubscribe function. */
export function onSessionLost(listener: (error: ApiError) => void): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

/** The bearer token of a scripted session (sessionStorage), or null when the cookie is used. */
export function bearerToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Calls `route` with `body`; resolves to the parsed answer, rejects with ApiError. */
export async function callApi<T>(route: string, body: unknown = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = bearerToken();
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`/${route}`, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
  const text = await res.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!res.ok) {
    const error = (parsed ?? {}) as Partial<ApiErrorBody>;
    const apiError = new ApiError(res.status, error.code ?? 'UNKNOWN', error.message ?? res.statusText);
    if (res.status === 401 && !LOGIN_ROUTES.has(route)) for (const listener of sessionLostListeners) listener(apiError);
    throw apiError;
  }
  return parsed as T;
}
