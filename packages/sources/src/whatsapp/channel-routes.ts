/**
 * `channels.whatsapp.connect` and `.disconnect`, built by the shared Meta builder (meta-graph/channel-routes.ts).
 * The channel is a WhatsApp Business phone number (its Cloud API `phone_number_id`). The token is
 * stored in Channel.token only: never returned, never logged, never in channel metadata. Disconnecting sets the
 * channel DISCONNECTED with no token: the router dead-letters its events, the connector fails its
 * outbound messages.
 */
import type { Log } from '@parley/streams';
import type { AnyRouteDefinition } from '../host/route-definition.js';
import { metaChannelRoutes } from '../meta-graph/channel-routes.js';
import type { SourceCatalog } from '../source-catalog.js';
import { WHATSAPP_SOURCE } from './whatsapp-topics.js';

/** The routes; `log` and `catalog` are read once the host started. */
export function whatsappChannelRoutes(log: () => Log, catalog: () => SourceCatalog, clock: () => number = Date.now): AnyRouteDefinition[] {
  return metaChannelRoutes(
    {
      source: WHATSAPP_SOURCE,
      displayName: 'WhatsApp',
      idField: 'phone_number_id',
      idMessage: 'a phone number id is digits',
      tokenField: 'token',
      connectSummary: 'Connects a WhatsApp Business phone number (Cloud API) with an access token of its business',
      connectDescription:
        'The channel id is `channelId("whatsapp", phone_number_id)` (Airy Core\'s), so connecting the same number again updates it. `token` (a system user or long-lived user token with `whatsapp_business_messaging`) is kept as the channel\'s secret token: it is never returned. Subscribe the Meta app to the WhatsApp Business Account\'s `messages` webhook field.',
      connectExample: { phone_number_id: '106540352242922', token: 'EAAG-example-system-user-token', name: 'Acme support' },
      disconnectSummary: 'Disconnects a WhatsApp channel and forgets its token (204, also when already disconnected)',
      exampleChannel: '7d3a2e0c-6b4f-5c8d-9e0f-0a1b2c3d4e5f',
    },
    log,
    catalog,
    clock,
  );
}
