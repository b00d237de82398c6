import { RouteForm } from './route-form';
import type { ProviderEntry, ProviderFormProps } from './provider-form';

/** Google Business Messages: an agent of a brand; the webhook URL is set in Google's console, not here. */
function GoogleConnectForm({ route, onConnected }: ProviderFormProps) {
  return (
    <>
      <p class="cc-note">
        Google shut Business Messages down on 2024-07-31; this connects an agent for existing integrations and tests. Give the agent id (the last part of{' '}
        <code>brands/…/agents/…</code>). The webhook URL (<code>/webhooks/google</code> on this host) is set in the Business Communications console.
      </p>
      <RouteForm route={route} submitLabel="Connect agent" onDone={onConnected} />
    </>
  );
}

export const google: ProviderEntry = { label: 'Google Business Messages', form: GoogleConnectForm };
