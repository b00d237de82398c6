/** Paths answered outside the route table, labelled as they are. */
const SYSTEM_PATHS = new Set(['/health', '/ready', '/metrics', '/openapi.json']);
const WEBHOOK_PATH = /^\/webhooks\/([a-z][a-z0-9-]*)$/;

export interface KnownPaths {
  isRoute: (name: string) => boolean;
  isWebhook: (provider: string) => boolean;
}

/**
 * The `route` label of a request path: a registered route (`/conversations.list`), provider
 * webhook (`/webhooks/facebook`) or system endpoint; anything else is `unmatched`, so that a scan
 * of random paths cannot grow the series without bound.
 */
export function routeLabel(path: string, known: KnownPaths): string {
  if (SYSTEM_PATHS.has(path)) return path;
  if (path.length > 1 && known.isRoute(path.slice(1))) return path;
  const webhook = WEBHOOK_PATH.exec(path);
  if (webhook !== null && known.isWebhook(webhook[1]!)) return path;
  return 'unmatched';
}
