/**
 * `channels.facebook.connect` and `.disconnect`, built by the shared Meta builder
 * (meta-graph/channel-routes.ts), and `.explore` (explore-route.ts).
 * The page token is stored in Channel.token only: never returned, never logged, never in channel
 * metadata (Airy kept it in metadata, where `channels.list` showed it). Disconnecting sets the
 * channel DISCONNECTED with no token: the router dead-letters its events, the connector fails its
 * outbound messages.
 */
import type { Log } from '@parley/streams';
import type { AnyRouteDefinition } from '../host/route-definition.js';
import { metaChannelRoutes } from '../meta-graph/channel-routes.js';
import type { GraphClient } from '../meta-graph/index.js';
import { facebookExploreRoute } from './explore-route.js';
import type { SourceCatalog } from '../source-catalog.js';
import { FACEBOOK_SOURCE } from './facebook-topics.js';

/** The routes; `log` and `catalog` are read once the host started. */
export function facebookChannelRoutes(log: () => Log, catalog: () => SourceCatalog, graph: GraphClient, clock: () => number = Date.now): AnyRouteDefinition[] {
  const connectRoutes = metaChannelRoutes(
    {
      source: FACEBOOK_SOURCE,
      displayName: 'Facebook',
      idField: 'page_id',
      idMessage: 'a page id is digits',
      tokenField: 'page_token',
      connectSummary: 'Connects a Facebook page (Messenger) with its page access token',
      connectDescription:
        'The channel id is `channelId("facebook", page_id)` (Airy Core\'s), so connecting the same page again updates it. `page_token` is kept as the channel\'s secret token: it is never returned. Subscribe the Meta app to the page\'s `messages`, `messaging_postbacks`, `message_echoes`, `message_reactions` and `messaging_referrals` webhook fields.',
      connectExample: { page_id: '1234567890', page_token: 'EAAG-example-page-token', name: 'Acme Shop' },
      disconnectSummary: 'Disconnects a Facebook channel and forgets its page token (204, also when already disconnected)',
      exampleChannel: '5b1e0c8a-4f2d-5a6b-9c7d-8e9f0a1b2c3d',
    },
    log,
    catalog,
    clock,
  );
  return [...connectRoutes, facebookExploreRoute(graph, catalog)];
}
