import type { AnyRouteDefinition } from '../http/route-definition.js';
import { appsStatusRoute } from './apps-status.js';
import { clientConfigRoute } from './client-config.js';
import { topicsListRoute } from './topics-list.js';

/** The endpoints every runtime serves; the messaging endpoints are added next to these. */
export const BUILT_IN_ROUTES: readonly AnyRouteDefinition[] = [clientConfigRoute, topicsListRoute, appsStatusRoute];
