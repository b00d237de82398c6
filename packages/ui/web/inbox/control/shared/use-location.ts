import { useEffect, useState } from 'preact/hooks';

/**
 * The page's path, kept in step with the history: `navigate` pushes a new entry and every
 * `useLocationPath` re-renders (also on back/forward). The control center's screens are deep
 * links under `/ui/control/`, so a reload lands on the same screen. `navigate` announces the
 * change as a `popstate` event, so the app around the control center follows it too.
 */
export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useLocationPath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
}

/** A link's click handler: navigates without a reload; a modifier- or middle-click opens a tab as usual. */
export function followLink(path: string): (event: MouseEvent) => void {
  return (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(path);
  };
}
