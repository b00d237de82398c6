/**
 * The host interface: what a process that hosts providers (the runtime) offers them. Defined here
 * as types, implemented by `@parley/runtime`; a provider's `register(host, config)` uses nothing
 * else, so the runtime needs to know no provider by name.
 */
import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Log } from '@parley/streams';
import type { SourceTopology, WebhookRequest, WebhookResponse } from '../source-definition.js';
import type { HostLogger } from './host-logger.js';
import type { Principal } from './principal.js';
import type { AnyRouteDefinition, RequestHeaders } from './route-definition.js';

/**
 * The hook a provider registers for `/webhooks/<provider>`. These paths take no runtime token: a
 * provider cannot send one, so the handler verifies the provider's signature itself (and may
 * answer a GET verification handshake). Throwing an error with a known code (e.g.
 * `SOURCES_SIGNATURE_INVALID`) answers with that code's status.
 */
export interface WebhookDefinition {
  /** The path segment after `/webhooks/`: lowercase letters, digits and dashes. */
  provider: string;
  /** The methods the hook takes; another is answered 405 RUNTIME_METHOD_NOT_ALLOWED. Default GET and POST. */
  methods?: readonly ('GET' | 'POST')[];
  /**
   * Runs before the body is read: a hook whose callers send a token checks it here, so an
   * unauthenticated caller never gets to upload a body. An answer refuses the request (and the
   * connection is closed without reading the body); undefined lets it through to `handle`.
   */
  checkBeforeBody?(request: Omit<WebhookRequest, 'rawBody'>): WebhookResponse | undefined | Promise<WebhookResponse | undefined>;
  handle(request: WebhookRequest): WebhookResponse | Promise<WebhookResponse>;
}

/** Takes over one HTTP upgrade request (a websocket handshake). */
export type UpgradeHandler = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

/** What an upgrade endpoint's `start` gets: the open log and the host's logger. */
export interface UpgradeContext {
  readonly log: Log;
  readonly logger: HostLogger;
}

/**
 * An endpoint served by taking over HTTP upgrade requests (websockets) at one exact path,
 * framework-free. Its lifecycle follows the host's: `start` once the log is open and the
 * topologies run (before HTTP is served), `handle` per upgrade request while running, `stop`
 * first on stop (before the HTTP server closes, which waits for every socket: close them all).
 */
export interface UpgradeDefinition {
  /** Exact request path (`/ws.chatplugin`). */
  path: string;
  start?(context: UpgradeContext): void | Promise<void>;
  handle: UpgradeHandler;
  stop?(): void | Promise<void>;
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

/**
 * A provider topology whose parts need the open log: the host creates `topics` before it starts
 * and calls `get()` (for `build` and `appOptions`) only while starting, after opening the log.
 */
export interface ProviderTopology {
  name: string;
  applicationId: string;
  topics: SourceTopology['topics'];
  get(): SourceTopology;
}

/** What a host offers a provider while it registers (before the host starts). */
export interface ProviderHost {
  /** The open log; throws (the host's state error) before the host has started. */
  readonly log: Log;
  registerRoute(route: AnyRouteDefinition): void;
  registerWebhook(webhook: WebhookDefinition): void;
  /** Serves upgrade requests (websockets) at `definition.path`. */
  registerUpgrade(definition: UpgradeDefinition): void;
  registerCors(policy: CorsPolicy): void;
  registerTopology(topology: ProviderTopology): void;
  /**
   * Who the host's own auth says sent these headers (system token or user JWT; anonymous when
   * auth is disabled): for routes with a token of their own that also accept the host's.
   */
  authenticate(headers: RequestHeaders): Promise<Principal>;
  /**
   * A secret of this provider kept by the host (`<dataDir>/auth/<name>`, mode 0600), generated
   * (64 random base64url characters) the first time it is read; read it only once started.
   */
  secret(name: string): string;
  /** True when `value` is one of the host's own secrets (a provider key must never be one). */
  isHostSecret(value: string): boolean;
}
