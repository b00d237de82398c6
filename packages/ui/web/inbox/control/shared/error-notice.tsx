import type { ApiError } from '../../../shared/api';

/** A refused call, said plainly: what the runtime answered and its code. */
export function ErrorNotice({ error }: { error: ApiError | undefined }) {
  if (error === undefined) return null;
  const hint = error.status === 401 || error.status === 403 ? ' Sign in to the inbox first.' : '';
  return (
    <p class="cc-error" role="alert">
      {error.message}
      {hint} <code>{error.code}</code>
    </p>
  );
}
