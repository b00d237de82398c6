import { ApiError, callApi } from '../shared/api.js';
import type { User } from './api-types.js';
import { useFormAction } from './use-form-action.js';

/** First start: creates the first admin with the one-time token of the link `parley start` printed (`auth.setup`). */
export function SetupScreen({ token, onDone }: { token: string; onDone: (user: User) => void }) {
  const { submit, error, busy } = useFormAction(
    async (form) => onDone((await callApi<{ user: User }>('auth.setup', { token, name: String(form.get('name')), email: String(form.get('email')), password: String(form.get('password')) })).user),
    (err) => (err instanceof ApiError && err.code === 'RUNTIME_LOGIN_FAILED' ? 'This setup link is no longer valid: an admin exists already. Log in instead.' : (err as Error).message),
  );
  return (
    <main class="auth-screen">
      <form class="auth-card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Create the first admin</h1>
        <p>This link works once. The account you create here can add the other agents.</p>
        <label for="setup-name">Name</label>
        <input id="setup-name" name="name" required maxLength={200} autoComplete="name" />
        <label for="setup-email">Email</label>
        <input id="setup-email" name="email" type="email" required autoComplete="username" />
        <label for="setup-password">Password (at least 8 characters)</label>
        <input id="setup-password" name="password" type="password" required minLength={8} autoComplete="new-password" />
        {error !== undefined && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          Create admin and log in
        </button>
      </form>
    </main>
  );
}
