import type { AnyRouteDefinition } from '../http/route-definition.js';
import { appsStatusRoute } from './apps-status.js';
import { clientConfigRoute } from './client-config.js';
import { tokensCreateRoute } from './tokens-create.js';
import { topicsListRoute } from './topics-list.js';
import { topicsDeleteRoute, topicsDescribeRoute, topicsProduceRoute, topicsReadRoute } from './topics/topic-routes.js';

/** The endpoints every runtime serves; the messaging endpoints are added next to these. */
export const BUILT_IN_ROUTES: readonly AnyRouteDefinition[] = [
  clientConfigRoute,
  topicsListRoute,
  topicsProduceRoute,
  topicsDescribeRoute,
  topicsReadRoute,
  topicsDeleteRoute,
  appsStatusRoute,
  tokensCreateRoute,
];
