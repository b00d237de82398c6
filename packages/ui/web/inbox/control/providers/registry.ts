import type { ChannelJson } from '../shared/api-types';
import type { RouteDoc } from '../shared/openapi';
import { facebook, instagram, whatsapp } from './meta';
import { GenericConnectForm } from './generic';
import { google } from './google';
import type { ProviderEntry, ProviderForm } from './provider-form';
import { telegram } from './telegram';
import { twilioSms, twilioWhatsApp } from './twilio';
import { viber } from './viber';

/**
 * What each provider contributes, by source name: its connect form and how its channels are
 * disconnected, in a file of its own. A provider whose `channels.<source>.connect` route is served
 * but has no entry gets the generic form, built from the route's request schema. The chat plugin
 * and custom sources have screens of their own.
 */
export const providers: Record<string, ProviderEntry> = {
  facebook,
  instagram,
  whatsapp,
  google,
  viber,
  telegram,
  'twilio.sms': twilioSms,
  'twilio.whatsapp': twilioWhatsApp,
};

/** Sources that are not connected through a `channels.<source>.connect` provider form. */
export const OWN_SCREEN_SOURCES: ReadonlySet<string> = new Set(['chatplugin']);

export function providerLabel(source: string): string {
  return providers[source]?.label ?? source;
}

export function providerForm(source: string): ProviderForm {
  return providers[source]?.form ?? GenericConnectForm;
}

/** The disconnect body for `channel`, or undefined when the route asks for more than the generic body gives. */
export function disconnectBody(channel: ChannelJson, route: RouteDoc): Record<string, unknown> | undefined {
  const custom = providers[channel.source]?.disconnectBody;
  if (custom !== undefined) return custom(channel);
  if (route.request.properties?.channel_id !== undefined) return { channel_id: channel.id };
  return (route.request.required ?? []).length === 0 ? {} : undefined;
}
