/**
 * Part of the host interface (see provider-host.ts): the framework-free route contract the
 * runtime serves and providers declare their API routes with.
 */
import type { z } from 'zod';
import type { HostLogger } from './host-logger.js';
import type { Principal } from './principal.js';

/** Request headers as Node gives them (lowercase names; any letter case is accepted for `authorization`). */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * What every handler gets besides the request body. The runtime passes more to its own routes
 * (its services); a provider's handlers read only these.
 */
export interface RouteContext {
  /** Who sent the request (`anonymous` when auth is off or the route needs none). */
  principal: Principal;
  logger: HostLogger;
  /** The request body exactly as received (empty without a body): for routes that store payloads untouched. */
  rawBody: Buffer;
}

/**
 * One RPC endpoint, `POST /<resource>.<verb>`, independent of any HTTP framework: the HTTP layer
 * authenticates, parses and validates the body with `request`, calls `handler`, and parses the
 * result with `response` (so a field the contract does not declare never leaves the server).
 * The same schemas produce the OpenAPI document.
 */
export interface RouteDefinition<TRequest extends z.ZodType = z.ZodType, TResponse extends z.ZodType | null = z.ZodType | null, TContext extends RouteContext = RouteContext> {
  /** `<resource>.<verb>` in lowercase (`topics.list`, `conversations.mark-read`). */
  name: string;
  /** One line for the API reference. */
  summary: string;
  description?: string;
  /**
   * Who may call: true (default) needs the system token or a user JWT, false is public, a
   * RouteAuthentication checks a token of its own (source tokens, chat tokens) — even when the
   * runtime's auth is turned off, since such a token says who the caller is, not only that it may.
   */
  auth?: boolean | RouteAuthentication;
  /** Schema of the JSON body (snake_case). A missing body is validated as `{}`. */
  request: TRequest;
  /** Schema of the JSON answer; null for a route that answers 204 without a body. */
  response: TResponse;
  /** Largest request body this route takes, in bytes, when it needs more than the host's limit (uploads). Default the host's. */
  bodyLimitBytes?: number;
  /**
   * Also take the body as `multipart/form-data` (a browser form, Airy's clients): the one file part
   * named `fileField` becomes that body field, base64, and its part's Content-Type the field
   * `typeField` unless the form sends a field of that name; other fields keep their names, as
   * strings. The body is then validated by `request` like a JSON one. A file over `maxFileBytes` is
   * 413 RUNTIME_BODY_TOO_LARGE. Default: JSON only (a multipart body is 415).
   */
  multipart?: MultipartForm;
  /** Status of a successful answer with a body. Default 200. */
  successStatus?: 200 | 201 | 202;
  /** Error codes this route returns besides the common ones, for the OpenAPI document. */
  errors?: readonly string[];
  /** A valid request body: shown in the OpenAPI document and sent by the contract test. */
  example: z.input<TRequest>;
  handler: (ctx: TContext, body: z.output<TRequest>) => RouteResult<TResponse> | Promise<RouteResult<TResponse>>;
}

/** How a route reads a `multipart/form-data` body (RouteDefinition.multipart). */
export interface MultipartForm {
  fileField: string;
  typeField: string;
  maxFileBytes: number;
}

/** A route's own token check, used instead of the runtime's. */
export interface RouteAuthentication {
  /** Name of the OpenAPI security scheme (`sourceToken`, `chatToken`). */
  scheme: string;
  /** What the bearer token is and where it comes from, for the API reference. */
  description: string;
  /**
   * The principal the request's headers prove, usually `{ kind: 'scoped', scheme, … }`. Throws
   * an error whose code the runtime's error table maps to 401 without a token and to 403 for a token it does not accept.
   */
  authenticate(headers: RequestHeaders): Promise<Principal>;
}

/** What a handler returns: the response schema's input, or nothing for a 204 route. */
export type RouteResult<TResponse extends z.ZodType | null> = TResponse extends z.ZodType ? z.input<TResponse> : void;

/** Any route, whatever its schemas (for tables and lists). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table holds routes of every schema
export type AnyRouteDefinition = RouteDefinition<any, any, any>;

/** Identity function that infers a route's body and result types from its schemas. */
export function defineRoute<TRequest extends z.ZodType, TResponse extends z.ZodType | null, TContext extends RouteContext = RouteContext>(
  route: RouteDefinition<TRequest, TResponse, TContext>,
): RouteDefinition<TRequest, TResponse, TContext> {
  return route;
}
