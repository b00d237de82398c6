import type { RouteDoc } from './openapi';

/**
 * A route's description from the OpenAPI document, which is Markdown: `code` spans become code
 * elements, the rest stays text (no HTML is ever interpreted).
 */
export function RouteDescription({ route }: { route: RouteDoc }) {
  if (route.description === undefined) return null;
  const parts = route.description.split('`');
  return <p class="cc-note">{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</p>;
}
