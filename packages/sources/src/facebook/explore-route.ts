/**
 * `channels.facebook.explore` (Airy Core's route): the Facebook pages a user access token can
 * manage — Graph `GET /<version>/me/accounts?fields=id,name,picture` with the user token, following
 * Graph's `paging.cursors.after` while `paging.next` says there is more (at most MAX_PAGES requests)
 * — each with whether Parley has it connected. The user token is used for that call only: never
 * stored, returned or logged. A token Graph refuses (code 190) → 403 SOURCES_TOKEN_INVALID; any
 * other Graph failure → 502 SOURCES_PROVIDER_API_FAILED with Graph's message.
 */
import { channelId as deriveChannelId } from '@parley/schemas';
import { z } from 'zod';
import { SourcesError } from '../errors.js';
import { defineRoute, type AnyRouteDefinition } from '../host/route-definition.js';
import { GraphError, type GraphClient } from '../meta-graph/index.js';
import type { SourceCatalog } from '../source-catalog.js';
import { FACEBOOK_SOURCE } from './facebook-topics.js';

/** Most Graph requests one explore makes (Graph's default page holds 25 pages). */
export const MAX_PAGES = 20;

const page = z.strictObject({ page_id: z.string(), name: z.string(), image_url: z.string().nullable(), connected: z.boolean() });

interface GraphPage {
  id?: unknown;
  name?: unknown;
  picture?: { data?: { url?: unknown } };
}
interface GraphAccounts {
  data?: GraphPage[];
  paging?: { cursors?: { after?: unknown }; next?: unknown };
}

export function facebookExploreRoute(graph: GraphClient, catalog: () => SourceCatalog): AnyRouteDefinition {
  return defineRoute({
    name: 'channels.facebook.explore',
    summary: 'Lists the Facebook pages a user access token can manage, and whether each is connected',
    description:
      'Calls Graph `GET /me/accounts` with `auth_token` (a Facebook user access token with `pages_show_list`), following its paging. `connected` is true when the page\'s channel is connected here. The token is used for this call only: it is not stored. 403 `SOURCES_TOKEN_INVALID` when Graph refuses the token; 502 `SOURCES_PROVIDER_API_FAILED` for any other Graph failure.',
    request: z.object({ auth_token: z.string().min(16).max(1024) }),
    response: z.strictObject({ data: z.array(page) }),
    errors: ['SOURCES_TOKEN_INVALID', 'SOURCES_PROVIDER_API_FAILED'],
    example: { auth_token: 'EAAG-example-user-token' },
    async handler(_ctx, body) {
      const pages: GraphPage[] = [];
      let after: string | undefined;
      for (let request = 0; request < MAX_PAGES; request++) {
        const answer = await accounts(graph, body.auth_token, after);
        pages.push(...(answer.data ?? []));
        const next = answer.paging?.cursors?.after;
        if (answer.paging?.next === undefined || typeof next !== 'string' || next === '') break;
        after = next;
      }
      await catalog().refresh();
      const data = pages
        .filter((p): p is GraphPage & { id: string } => typeof p.id === 'string' && /^\d{1,32}$/.test(p.id))
        .map((p) => {
          const url = p.picture?.data?.url;
          return {
            page_id: p.id,
            name: typeof p.name === 'string' ? p.name : '',
            image_url: typeof url === 'string' && /^https?:\/\//.test(url) ? url : null,
            connected: catalog().channel(deriveChannelId(FACEBOOK_SOURCE, p.id))?.connectionState === 'CONNECTED',
          };
        });
      return { data };
    },
  });
}

async function accounts(graph: GraphClient, token: string, after: string | undefined): Promise<GraphAccounts> {
  try {
    const answer = await graph.call({ method: 'GET', path: '/me/accounts', token, query: { fields: 'id,name,picture', ...(after === undefined ? {} : { after }) } });
    return typeof answer === 'object' && answer !== null ? (answer as GraphAccounts) : {};
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    if (err.graphCode === 190) throw new SourcesError('SOURCES_TOKEN_INVALID', `Graph refused the user token: ${err.message}`, { field: 'auth_token', cause: err });
    throw new SourcesError('SOURCES_PROVIDER_API_FAILED', `Graph GET /me/accounts failed: ${err.message}`, { cause: err, retriable: err.retriable });
  }
}
