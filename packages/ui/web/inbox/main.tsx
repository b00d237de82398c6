import './styles.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, callApi, onSessionLost } from '../shared/api.js';
import type { SessionInfo, User } from './api-types.js';
import { ControlCenter } from './control/control-center.js';
import { InboxScreen } from './inbox-screen.js';
import { LoginScreen } from './login-screen.js';
import { AppHeader } from './app-header.js';
import { navigate, usePath } from './router.js';
import { SetupScreen } from './setup-screen.js';

type SessionState = { kind: 'loading' } | { kind: 'out'; notice?: string } | { kind: 'in'; session: SessionInfo };

const EXPIRED_NOTICE = 'Your session has expired. Please log in again.';

function noticeFor(error: unknown): string | undefined {
  return error instanceof ApiError && error.code === 'RUNTIME_SESSION_EXPIRED' ? EXPIRED_NOTICE : undefined;
}

/** The inbox app: who is logged in decides between the login screen and the app's routes. */
function App() {
  const path = usePath();
  const [state, setState] = useState<SessionState>({ kind: 'loading' });
  const loadSession = () =>
    callApi<SessionInfo>('auth.session').then(
      (session) => setState({ kind: 'in', session }),
      (err: unknown) => {
        const notice = noticeFor(err);
        setState(notice === undefined ? { kind: 'out' } : { kind: 'out', notice });
      },
    );
  useEffect(() => {
    void loadSession();
    return onSessionLost((err) => setState({ kind: 'out', notice: noticeFor(err) ?? 'You were logged out. Please log in again.' }));
  }, []);
  const loggedIn = (user: User) => {
    setState({ kind: 'in', session: { principal: { kind: 'user', id: user.id }, user, expires_at: null } });
    if (path === '/setup' || path === '/login') navigate('/', { replace: true });
  };
  const logout = async () => {
    await callApi('auth.logout').catch(() => undefined);
    setState({ kind: 'out' });
  };

  if (state.kind === 'loading') return <p class="loading">Loading…</p>;
  if (path === '/setup' && state.kind === 'out') {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    return <SetupScreen token={token} onDone={loggedIn} />;
  }
  if (state.kind === 'out') return <LoginScreen onLoggedIn={loggedIn} {...(state.notice === undefined ? {} : { notice: state.notice })} />;
  const me = state.session.user;
  return (
    <div class="app">
      <AppHeader path={path} user={me} onLogout={logout} />
      {path.startsWith('/control') ? (
        <main id="main" class="control">
          <ControlCenter />
        </main>
      ) : (
        <InboxScreen path={path} me={me} />
      )}
    </div>
  );
}

render(<App />, document.getElementById('app')!);
