/**
 * `channels.instagram.connect` and `.disconnect`, built by the shared Meta builder (meta-graph/channel-routes.ts).
 * An Instagram professional account is reached through the Facebook page it is linked to: the
 * channel is the account (`channelId("instagram", account_id)`, Airy Core's id), its token the
 * page's access token. The page token is stored in Channel.token only: never returned, never logged, never in channel
 * metadata (Airy kept it in metadata, where `channels.list` showed it). Disconnecting sets the
 * channel DISCONNECTED with no token: the router dead-letters its events, the connector fails its
 * outbound messages.
 */
import type { Log } from '@parley/streams';
import type { AnyRouteDefinition } from '../host/route-definition.js';
import { metaChannelRoutes } from '../meta-graph/channel-routes.js';
import type { SourceCatalog } from '../source-catalog.js';
import { INSTAGRAM_SOURCE } from './instagram-topics.js';

/** The routes; `log` and `catalog` are read once the host started. */
export function instagramChannelRoutes(log: () => Log, catalog: () => SourceCatalog, clock: () => number = Date.now): AnyRouteDefinition[] {
  return metaChannelRoutes(
    {
      source: INSTAGRAM_SOURCE,
      displayName: 'Instagram',
      idField: 'account_id',
      idMessage: 'an Instagram account id is digits',
      tokenField: 'page_token',
      connectSummary: 'Connects an Instagram professional account with the access token of its linked Facebook page',
      connectDescription:
        'The channel id is `channelId("instagram", account_id)` (Airy Core\'s), so connecting the same account again updates it. `page_token` (of the Facebook page the account is linked to) is kept as the channel\'s secret token: it is never returned. Subscribe the Meta app to the Instagram webhook fields `messages`, `messaging_postbacks`, `message_reactions`, `messaging_referral` and `messaging_seen`.',
      connectExample: { account_id: '17841400000000000', page_token: 'EAAG-example-page-token', name: 'Acme on Instagram' },
      disconnectSummary: 'Disconnects a Instagram channel and forgets its page token (204, also when already disconnected)',
      exampleChannel: '6c2f1d9b-5a3e-5b7c-8d9e-9f0a1b2c3d4e',
    },
    log,
    catalog,
    clock,
  );
}
