import { timingSafeEqual } from 'node:crypto';
import { bearerTokenOf, digest, type Authenticator, type RequestHeaders } from '../auth/authenticator.js';
import { RuntimeError } from '../errors.js';

export const METRICS_PATH = '/metrics';

/**
 * Who may scrape: with auth enabled, the system token or the scrape-only `metrics.token` (so a
 * Prometheus server need not hold full access); user JWTs are refused (RUNTIME_FORBIDDEN). No
 * token: RUNTIME_UNAUTHORIZED.
 */
export function metricsAuthorizer(authenticator: Authenticator, metricsToken: string | undefined): (headers: RequestHeaders) => Promise<void> {
  const scrapeDigest = metricsToken === undefined ? undefined : digest(metricsToken);
  return async (headers) => {
    if (!authenticator.enabled) return;
    const token = bearerTokenOf(headers);
    if (token !== undefined && scrapeDigest !== undefined && timingSafeEqual(digest(token), scrapeDigest)) return;
    const principal = await authenticator.authenticate(headers);
    if (principal.kind !== 'system') throw new RuntimeError('RUNTIME_FORBIDDEN', `${METRICS_PATH} takes the system token or metrics.token`);
  };
}
