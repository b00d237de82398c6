import type { ApiError } from '../../../shared/api';

/** A refused call, said plainly: what the runtime answered and its code; a refused session links to the sign-in. */
export function ErrorNotice({ error }: { error: ApiError | undefined }) {
  if (error === undefined) return null;
  const signIn = error.status === 401 || error.status === 403;
  return (
    <p class="cc-error" role="alert">
      {error.message} <code>{error.code}</code>
      {signIn ? (
        <>
          {' '}
          <a href="/ui/">Sign in</a> to the inbox first.
        </>
      ) : null}
    </p>
  );
}
