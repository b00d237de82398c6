import { useEffect, useState } from 'preact/hooks';

/**
 * The page's path, kept in step with the history: `navigate` pushes a new entry and every
 * `useLocationPath` re-renders (also on back/forward). The control center's screens are deep
 * links under `/ui/control/`, so a reload lands on the same screen.
 */
const NAVIGATED = 'parley:navigate';

export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATED));
}

export function useLocationPath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return path;
}
