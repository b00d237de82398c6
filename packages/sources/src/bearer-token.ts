import type { WebhookHeaders } from './source-definition.js';

/**
 * The token of an `Authorization: Bearer <token>` header (any letter case of the header name and
 * the scheme), or undefined. The one bearer-token parser of Parley: the runtime's own auth, the
 * source tokens and the chat tokens all read the header through it.
 */
export function bearerToken(headers: WebhookHeaders): string | undefined {
  let value = headers.authorization;
  if (value === undefined) {
    for (const [name, v] of Object.entries(headers)) if (name.toLowerCase() === 'authorization') value = v;
  }
  const header = Array.isArray(value) ? value[0] : value;
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')?.[1];
}
