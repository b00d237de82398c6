import { ApiError, callApi } from '../shared/api.js';
import type { User } from './api-types.js';
import { useFormAction } from './use-form-action.js';

/** The login form (`auth.login`); `notice` says why it is shown (an expired session). */
export function LoginScreen({ notice, onLoggedIn }: { notice?: string; onLoggedIn: (user: User) => void }) {
  const { submit, error, busy } = useFormAction(
    async (form) => onLoggedIn((await callApi<{ user: User }>('auth.login', { email: String(form.get('email')), password: String(form.get('password')) })).user),
    (err) => (err instanceof ApiError && err.code === 'RUNTIME_LOGIN_FAILED' ? 'Wrong email or password.' : `Could not log in: ${(err as Error).message}`),
  );
  return (
    <main class="auth-screen">
      <form class="auth-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Log in to Parley</h1>
        {notice !== undefined && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <label for="login-email">Email</label>
        <input id="login-email" name="email" type="email" autoComplete="username" required />
        <label for="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required />
        {error !== undefined && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
