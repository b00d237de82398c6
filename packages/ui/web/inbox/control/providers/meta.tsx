import { RouteDescription } from '../shared/route-description';
import { RouteForm } from './route-form';
import type { ProviderEntry, ProviderFormProps } from './provider-form';

/**
 * Facebook Messenger, Instagram and WhatsApp Cloud: a channel is a page, account or phone number
 * of the configured Meta app, connected with its own access token (kept as the channel's secret,
 * never shown again). The route's description names the webhook fields to subscribe.
 */
function metaForm(what: string, submitLabel: string) {
  return function MetaConnectForm({ route, onConnected }: ProviderFormProps) {
    return (
      <>
        <p class="cc-note">
          Connects {what} of the Meta app in the configuration. The token is stored as the channel's secret and never shown again; the webhook URL is{' '}
          <code>/webhooks/&lt;provider&gt;</code> on this host, set in the App Dashboard.
        </p>
        <RouteDescription route={route} />
        <RouteForm route={route} submitLabel={submitLabel} onDone={onConnected} />
      </>
    );
  };
}

export const facebook: ProviderEntry = { label: 'Facebook Messenger', form: metaForm('a Facebook page (Messenger)', 'Connect Facebook page') };
export const instagram: ProviderEntry = { label: 'Instagram', form: metaForm('an Instagram professional account', 'Connect Instagram account') };
export const whatsapp: ProviderEntry = { label: 'WhatsApp Cloud', form: metaForm('a WhatsApp Business phone number', 'Connect WhatsApp number') };
