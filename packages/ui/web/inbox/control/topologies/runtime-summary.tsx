import type { ClientConfig } from '../shared/api-types';
import { ErrorNotice } from '../shared/error-notice';
import { useApi } from '../shared/use-api';

/** What this runtime is (`client.config`): version, log backend, auth, and the providers in its configuration. */
export function RuntimeSummary() {
  const config = useApi<ClientConfig>('client.config');
  const sources = Object.entries(config.data?.sources ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-labelledby="cc-runtime-title" class="cc-card">
      <h2 id="cc-runtime-title">Runtime</h2>
      <ErrorNotice error={config.error} />
      {config.data === undefined ? null : (
        <dl class="cc-facts">
          <dt>Version</dt>
          <dd>{config.data.version}</dd>
          <dt>Log</dt>
          <dd>{config.data.features.log_backend}</dd>
          <dt>Auth</dt>
          <dd>{config.data.features.auth ? 'on' : 'off'}</dd>
          <dt>Providers</dt>
          <dd>{sources.length === 0 ? 'none configured' : sources.map(([name, s]) => `${name}${s.enabled ? '' : ' (disabled)'}`).join(', ')}</dd>
        </dl>
      )}
    </section>
  );
}
