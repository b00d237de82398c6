import type { ChannelJson } from '../shared/api-types';
import { RouteDescription } from '../shared/route-description';
import { RouteForm } from './route-form';
import type { ProviderEntry, ProviderFormProps } from './provider-form';

/**
 * Twilio SMS and WhatsApp: a channel is a number of the configured account. Its disconnect route
 * takes the number, not the channel id: the source channel id is the number behind Twilio's
 * address prefix (`whatsapp:` for WhatsApp, none for SMS).
 */
function twilioEntry(kind: string, prefix: string): ProviderEntry {
  function TwilioConnectForm({ route, onConnected }: ProviderFormProps) {
    return (
      <>
        <p class="cc-note">Connects a {kind} number of the Twilio account in the configuration (E.164, like +4915112345678).</p>
        <RouteDescription route={route} />
        <RouteForm route={route} submitLabel={`Connect ${kind} number`} onDone={onConnected} />
      </>
    );
  }
  return {
    label: kind,
    form: TwilioConnectForm,
    disconnectBody: (channel: ChannelJson) => ({ phone_number: channel.source_channel_id.startsWith(prefix) ? channel.source_channel_id.slice(prefix.length) : channel.source_channel_id }),
  };
}

export const twilioSms = twilioEntry('Twilio SMS', '');
export const twilioWhatsApp = twilioEntry('Twilio WhatsApp', 'whatsapp:');
