import { GenericConnectForm } from './generic';
import { GoogleConnectForm } from './google';
import type { ProviderForm } from './provider-form';
import { TelegramConnectForm } from './telegram';
import { ViberConnectForm } from './viber';

/**
 * The connect form of each provider, by source name. A provider adds its form here, in a file of
 * its own; a provider whose `channels.<source>.connect` route is served but has no entry gets the
 * generic form, built from the route's request schema. The chat plugin and custom sources have
 * screens of their own.
 */
export const providerForms: Record<string, ProviderForm> = {
  google: GoogleConnectForm,
  viber: ViberConnectForm,
  telegram: TelegramConnectForm,
};

/** Sources that are not connected through a `channels.<source>.connect` provider form. */
export const OWN_SCREEN_SOURCES: ReadonlySet<string> = new Set(['chatplugin']);

export function providerForm(source: string): ProviderForm {
  return providerForms[source] ?? GenericConnectForm;
}
