import { RouteForm } from './route-form';
import type { ProviderEntry, ProviderFormProps } from './provider-form';

/** Viber: the bot of the configured auth token; connecting sets its webhook, which Viber checks at once. */
function ViberConnectForm({ route, onConnected }: ProviderFormProps) {
  return (
    <>
      <p class="cc-note">
        Connects the bot whose auth token is in the configuration (<code>sources.viber</code>). Viber calls the webhook URL while connecting, so it must be reachable
        from the internet. Name and picture default to the bot's own.
      </p>
      <RouteForm route={route} submitLabel="Connect Viber bot" onDone={onConnected} />
    </>
  );
}

export const viber: ProviderEntry = { label: 'Viber', form: ViberConnectForm };
