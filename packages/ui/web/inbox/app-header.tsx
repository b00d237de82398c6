import type { User } from './api-types.js';
import { linkHandler } from './router.js';

/** The top bar: the app's sections and who is logged in. */
export function AppHeader({ path, user, onLogout }: { path: string; user: User | null; onLogout: () => void }) {
  const inControl = path.startsWith('/control');
  return (
    <header class="app-header">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <span class="brand">Parley</span>
      <nav aria-label="Sections">
        <a href="/ui/" onClick={linkHandler('/')} aria-current={inControl ? undefined : 'page'}>
          Inbox
        </a>
        <a href="/ui/control/" onClick={linkHandler('/control/')} aria-current={inControl ? 'page' : undefined}>
          Control center
        </a>
      </nav>
      <span class="who">{user === null ? 'System' : user.name}</span>
      <button type="button" onClick={onLogout}>
        Log out
      </button>
    </header>
  );
}
