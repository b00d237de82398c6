/**
 * The runtime's side of the route contract. The contract itself (RouteDefinition,
 * RouteAuthentication, defineRoute) is part of the host interface in `@parley/sources`, so
 * providers declare routes without depending on the runtime; the runtime's own routes get a
 * richer context (its services).
 */
import type { RouteContext, RouteDefinition as HostRouteDefinition } from '@parley/sources';
import type { z } from 'zod';
import type { SessionCookieJar } from '../auth/session-cookie.js';
import type { Logger } from '../logger.js';
import type { RuntimeServices } from '../runtime-services.js';

export type { AnyRouteDefinition, RouteAuthentication, RouteResult } from '@parley/sources';

/** What the runtime's own handlers get besides the request body. */
export interface HandlerContext extends RouteContext {
  /** The running runtime's services: configuration, log, streams applications. */
  runtime: RuntimeServices;
  logger: Logger;
  /** The login session cookie of the answer (set by `auth.login`, cleared by `auth.logout`). */
  session?: SessionCookieJar;
}

/** One RPC endpoint of the runtime: the host contract's RouteDefinition with the runtime's context. */
export type RouteDefinition<TRequest extends z.ZodType = z.ZodType, TResponse extends z.ZodType | null = z.ZodType | null> = HostRouteDefinition<TRequest, TResponse, HandlerContext>;

/** Identity function that infers a route's body and result types from its schemas. */
export function defineRoute<TRequest extends z.ZodType, TResponse extends z.ZodType | null>(route: RouteDefinition<TRequest, TResponse>): RouteDefinition<TRequest, TResponse> {
  return route;
}
