import { RouteForm } from './route-form';
import type { ProviderEntry, ProviderFormProps } from './provider-form';

/** Telegram: the configured bot; connecting checks its token and registers the webhook. */
function TelegramConnectForm({ route, onConnected }: ProviderFormProps) {
  return (
    <>
      <p class="cc-note">
        Connects the bot whose token is in the configuration (<code>sources.telegram</code>): Parley checks the token and registers its public webhook URL with
        Telegram. The name defaults to the bot's @username.
      </p>
      <RouteForm route={route} submitLabel="Connect Telegram bot" onDone={onConnected} />
    </>
  );
}

export const telegram: ProviderEntry = { label: 'Telegram', form: TelegramConnectForm };
