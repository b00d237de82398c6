import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { Authenticator, RequestHeaders } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import { SESSION_COOKIE, type SessionCookieJar } from '../auth/session-cookie.js';
import type { SecretSet } from '../config/redact.js';
import { MethodNotAllowedError, RuntimeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { httpMetrics, metricsEndpoint } from './metrics-endpoints.js';
import type { RuntimeMetrics } from '../metrics/runtime-metrics.js';
import type { RuntimeServices } from '../runtime-services.js';
import { bodyLeftUnread, jsonBodyReader, rawBodyReader, rawJsonBody, type BodyLimits, type BodyReader } from './body-parsing.js';
import { isMultipart, multipartBodyReader } from './multipart-body.js';
import { toErrorResponse } from './error-status.js';
import type { AnyRouteDefinition } from './route-definition.js';
import type { RouterTable } from './router-table.js';
import { staticSites, type StaticSite } from './static-sites.js';
import type { WebhookDefinition, WebhookResponse } from './webhook-definition.js';

/** Whether the runtime should receive traffic, and why not. */
export interface Readiness {
  ready: boolean;
  /** Component → state (`log: open`, `app:conversations: running`). */
  checks: Record<string, string>;
}

export interface HttpAppOptions {
  routes: RouterTable;
  webhooks: ReadonlyMap<string, WebhookDefinition>;
  authenticator: Authenticator;
  services: () => RuntimeServices;
  logger: Logger;
  /** Scrubbed from every error message sent. */
  secrets: SecretSet;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** A request body must arrive within this many ms once reading starts (408 after). */
  bodyTimeoutMs: number;
  readiness: () => Readiness;
  /** Liveness: whether the platform can still process (`GET /health`). */
  health: () => Readiness;
  /** Throws (503 with Retry-After) while the pipeline cannot take writes; asked before a provider webhook's body is read. */
  admitWrite: () => void;
  openApiDocument: () => unknown;
  /** Built browser assets (the inbox, the chat widget) served under path prefixes. */
  staticSites?: readonly StaticSite[];
  /** Cross-origin access for browser callers (the chat plugin widget); default none. */
  cors?: readonly CorsPolicy[];
  /** `GET <prefix><name>` endpoints of stored files, by prefix (`/media/`); default none. */
  files?: ReadonlyMap<string, FileEndpoint>;
  /** Requests counted and timed, and served at `GET /metrics` to callers `authorize` lets in; default none. */
  metrics?: { metrics: RuntimeMetrics; authorize: (headers: RequestHeaders) => Promise<void> };
}

/** A stored file as an endpoint answers it. */
export interface ServedFile {
  bytes: Buffer;
  contentType: string;
}

/**
 * Serves files under a path prefix, without the runtime's auth (a browser `<img>` sends no token):
 * `serve` checks what the URL carries (a signature) and throws a RuntimeError (403, 404) to refuse.
 */
export interface FileEndpoint {
  serve(name: string, query: Readonly<Record<string, string | undefined>>): Promise<ServedFile>;
}

/**
 * Lets pages of other origins call some paths from a browser: preflights (`OPTIONS`) are answered
 * 204, answers (errors included) carry `Access-Control-Allow-Origin`. No credentials: callers send
 * their token in the Authorization header.
 */
export interface CorsPolicy {
  /** Exact request paths (`/chatplugin.send`). */
  paths: readonly string[];
  /** `*` for any origin, else the exact origins allowed (`https://shop.example`). */
  origins: readonly string[];
  /** Request headers a caller may send. Default Authorization and Content-Type. */
  allowedHeaders?: readonly string[];
}

const ANONYMOUS: Principal = { kind: 'anonymous', id: 'anonymous' };
const WEBHOOK_PATH = /^\/webhooks\/([a-z][a-z0-9-]*)$/;

/**
 * The express application: a shim around framework-free parts. `GET /health`, `/ready` and
 * `/openapi.json` need no token; `POST /<resource>.<verb>` dispatches to the router table;
 * `/webhooks/<provider>` to the provider's hook. Every error leaves as `{ message, code }` with
 * the status from the one error table.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLog(options.logger));
  if (options.metrics !== undefined) {
    const { metrics, authorize } = options.metrics;
    app.use(httpMetrics(metrics, { isRoute: (name) => options.routes.get(name) !== undefined, isWebhook: (provider) => options.webhooks.has(provider) }));
    app.use(metricsEndpoint(metrics, authorize));
  }
  if (options.cors !== undefined && options.cors.length > 0) app.use(corsEndpoints(options.cors));
  app.use(systemEndpoints(options));
  if (options.staticSites !== undefined && options.staticSites.length > 0) app.use(staticSites(options.staticSites));
  app.use(webhookEndpoints(options));
  if (options.files !== undefined && options.files.size > 0) app.use(fileEndpoints(options.files));
  app.use(rpcEndpoints(options));
  app.use((req, _res, next) => next(new RuntimeError('RUNTIME_NOT_FOUND', `there is no endpoint ${req.path}`)));
  app.use(errorHandler(options));
  return app;
}

function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Only the path: query strings of provider handshakes carry verify tokens.
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug('runtime.http.request', { method: req.method, path: req.path, status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10 });
    });
    next();
  };
}

function corsEndpoints(policies: readonly CorsPolicy[]): RequestHandler {
  const byPath = new Map<string, RequestHandler>();
  for (const policy of policies) {
    const handler = cors({
      origin: policy.origins.includes('*') ? '*' : [...policy.origins],
      methods: ['POST'],
      allowedHeaders: [...(policy.allowedHeaders ?? ['Authorization', 'Content-Type'])],
      maxAge: 600,
      optionsSuccessStatus: 204,
    });
    for (const path of policy.paths) byPath.set(path, handler);
  }
  return (req, res, next) => {
    const handler = byPath.get(req.path);
    if (handler === undefined) return next();
    handler(req, res, next);
  };
}

function systemEndpoints(options: HttpAppOptions): RequestHandler {
  const endpoints = new Map<string, (res: Response) => void>([
    [
      '/health',
      (res) => {
        const { ready: healthy, checks } = options.health();
        if (healthy) return void res.json({ status: 'ok', checks });
        const failing = Object.entries(checks).filter(([, state]) => state !== 'running' && state !== 'accepting');
        throw new RuntimeError('RUNTIME_UNHEALTHY', `cannot process: ${failing.map(([name, state]) => `${name} is ${state}`).join(', ')}`);
      },
    ],
    ['/openapi.json', (res) => void res.json(options.openApiDocument())],
    [
      '/ready',
      (res) => {
        const { ready, checks } = options.readiness();
        if (ready) return void res.json({ status: 'ready', checks });
        const failing = Object.entries(checks).filter(([, state]) => state !== 'running' && state !== 'open' && state !== 'listening');
        throw new RuntimeError('RUNTIME_NOT_READY', `not ready: ${failing.map(([name, state]) => `${name} is ${state}`).join(', ')}`);
      },
    ],
  ]);
  return (req, res, next) => {
    const endpoint = endpoints.get(req.path);
    if (endpoint === undefined) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new MethodNotAllowedError(req.method, req.path, ['GET']);
    endpoint(res);
  };
}

function webhookEndpoints(options: HttpAppOptions): RequestHandler {
  const readBody = rawBodyReader(bodyLimits(options));
  return async (req, res, next) => {
    const match = WEBHOOK_PATH.exec(req.path);
    if (match === null) return next();
    const hook = options.webhooks.get(match[1]!);
    if (hook === undefined) throw new RuntimeError('RUNTIME_NOT_FOUND', `there is no webhook for provider ${match[1]}`);
    const methods = hook.methods ?? ['GET', 'POST'];
    if (!(methods as readonly string[]).includes(req.method)) throw new MethodNotAllowedError(req.method, req.path, methods);
    const method = req.method as 'GET' | 'POST';
    const query = req.query as Record<string, string | string[]>;
    // A hook with a token of its own checks it before a byte of the body is read.
    const refusal = hook.checkBeforeBody === undefined ? undefined : await hook.checkBeforeBody({ method, headers: req.headers, query });
    if (refusal !== undefined) return sendWebhookAnswer(refusal, req, res);
    if (method === 'POST') {
      // Provider webhooks only write: refused at once while the pipeline cannot take writes.
      options.admitWrite();
      await readBody(req);
    }
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    sendWebhookAnswer(await hook.handle({ method, headers: req.headers, query, rawBody }), req, res);
  };
}

function sendWebhookAnswer(answer: WebhookResponse, req: Request, res: Response): void {
  res.status(answer.status).set(answer.headers ?? {});
  if (bodyLeftUnread(req)) res.set('Connection', 'close');
  if (answer.body === undefined) res.end();
  // A string is text/plain unless the hook named its type (Twilio expects TwiML as text/xml).
  else if (typeof answer.body === 'string') (res.get('Content-Type') === undefined ? res.type('text/plain') : res).send(answer.body);
  else res.json(answer.body);
}

function fileEndpoints(files: ReadonlyMap<string, FileEndpoint>): RequestHandler {
  return async (req, res, next) => {
    const slash = req.path.indexOf('/', 1);
    const endpoint = slash < 0 ? undefined : files.get(req.path.slice(0, slash + 1));
    if (endpoint === undefined) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new MethodNotAllowedError(req.method, req.path, ['GET']);
    const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
    const file = await endpoint.serve(req.path.slice(slash + 1), query);
    // Stored files are other people's bytes: never sniffed, never run as a page of this origin.
    res
      .status(200)
      .set({ 'Content-Type': file.contentType, 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "sandbox; default-src 'none'", 'Cache-Control': 'private, max-age=3600' })
      .send(file.bytes);
  };
}

function bodyLimits(options: HttpAppOptions): BodyLimits {
  return { limitBytes: options.bodyLimitBytes, timeoutMs: options.bodyTimeoutMs };
}

function rpcEndpoints(options: HttpAppOptions): RequestHandler {
  const defaultReader = jsonBodyReader(bodyLimits(options));
  // A route that takes larger bodies (uploads) has a reader of its own.
  const readers = new WeakMap<AnyRouteDefinition, BodyReader>();
  const multipartReaders = new WeakMap<AnyRouteDefinition, BodyReader>();
  const readerFor = (route: AnyRouteDefinition, req: Request): BodyReader => {
    if (isMultipart(req)) {
      const form = route.multipart;
      if (form === undefined) throw new RuntimeError('RUNTIME_UNSUPPORTED_MEDIA_TYPE', `${route.name} takes a JSON body, not multipart/form-data`);
      let reader = multipartReaders.get(route);
      if (reader === undefined) multipartReaders.set(route, (reader = multipartBodyReader(form, options.bodyTimeoutMs)));
      return reader;
    }
    if (route.bodyLimitBytes === undefined) return defaultReader;
    let reader = readers.get(route);
    if (reader === undefined) readers.set(route, (reader = jsonBodyReader({ ...bodyLimits(options), limitBytes: route.bodyLimitBytes })));
    return reader;
  };
  return async (req, res, next) => {
    const route = req.path.length > 1 ? options.routes.get(req.path.slice(1)) : undefined;
    if (route === undefined) return next();
    if (req.method !== 'POST') throw new MethodNotAllowedError(req.method, req.path, ['POST']);
    // Authenticate before reading the body: no parsing work for callers without a token.
    const principal = await authenticateFor(route, req.headers, options.authenticator);
    await readerFor(route, req)(req);
    const parsed = route.request.safeParse(req.body ?? {});
    if (!parsed.success) throw invalidRequest(parsed.error.issues);
    const result: unknown = await route.handler({ principal, runtime: options.services(), logger: options.logger, rawBody: rawJsonBody(req), session: sessionCookieJar(req, res) }, parsed.data);
    sendResult(route, result, res);
  };
}

function sessionCookieJar(req: Request, res: Response): SessionCookieJar {
  // Behind a TLS-terminating proxy the request arrives as http: its X-Forwarded-Proto says https.
  // Trusting it is safe here: a forged header can only make the caller's own cookie stricter.
  const forwarded = req.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  const secure = req.secure || forwarded === 'https';
  const attributes = { httpOnly: true, sameSite: 'strict', secure, path: '/' } as const;
  return {
    secure,
    set: (token, maxAgeSeconds) => void res.cookie(SESSION_COOKIE, token, { ...attributes, maxAge: maxAgeSeconds * 1000 }),
    clear: () => void res.clearCookie(SESSION_COOKIE, attributes),
  };
}

function authenticateFor(route: AnyRouteDefinition, headers: RequestHeaders, authenticator: Authenticator): Promise<Principal> {
  if (route.auth === false) return Promise.resolve(ANONYMOUS);
  if (route.auth === undefined || route.auth === true) return authenticator.authenticate(headers);
  return route.auth.authenticate(headers);
}

function sendResult(route: AnyRouteDefinition, result: unknown, res: Response): void {
  if (route.response === null) return void res.status(204).end();
  const checked = (route.response as z.ZodType).safeParse(result);
  if (!checked.success) {
    // A handler bug: the contract test should have caught it. Unknown error → 500, logged with the issues.
    throw new Error(`route ${route.name} answered outside its response schema: ${describeIssues(checked.error.issues)}`);
  }
  res.status(route.successStatus ?? 200).json(checked.data);
}

function invalidRequest(issues: readonly z.core.$ZodIssue[]): RuntimeError {
  const first = issues[0];
  const field = first === undefined || first.path.length === 0 ? 'body' : first.path.map(String).join('.');
  return new RuntimeError('RUNTIME_INVALID_REQUEST', `invalid request: ${describeIssues(issues)}`, { field });
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length === 0 ? 'body' : i.path.map(String).join('.')}: ${i.message}`).join('; ');
}

function errorHandler(options: HttpAppOptions): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next) => {
    const response = toErrorResponse(err, options.secrets);
    if (!response.known) options.logger.error('runtime.http.internal_error', { method: req.method, path: req.path, err });
    else if (response.status >= 500) options.logger.warn('runtime.http.unavailable', { method: req.method, path: req.path, err });
    if (res.headersSent) return void res.destroy();
    // A body left unread (refused before or while reading it) is not drained: the connection
    // closes once the answer is sent, so a slow or oversized upload ends with it.
    if (bodyLeftUnread(req) || response.body.code === 'RUNTIME_BODY_TOO_LARGE' || response.body.code === 'RUNTIME_REQUEST_TIMEOUT') res.set('Connection', 'close');
    res.status(response.status).set(response.headers).json(response.body);
  };
}
