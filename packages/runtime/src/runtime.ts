import * as fs from 'node:fs';
import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import type { UpgradeContext as HostUpgradeContext, UpgradeDefinition } from '@parley/sources';
import type { Log, SegmentFs } from '@parley/streams';
import { BUILT_IN_ROUTES } from './api/built-in-routes.js';
import { loadAuthSecrets, type SystemTokenOrigin } from './auth/auth-secrets.js';
import { createAuthenticator, type Authenticator, type SessionCheck } from './auth/authenticator.js';
import { signJwt, type SignJwtOptions } from './auth/jwt.js';
import type { RuntimeConfig, RuntimeConfigInput } from './config/config-schema.js';
import { resolveConfig } from './config/load-config.js';
import { SecretSet } from './config/redact.js';
import { DataDir } from './data-dir.js';
import { RuntimeError } from './errors.js';
import type { Principal } from './auth/principal.js';
import type { RequestHeaders } from './auth/authenticator.js';
import { createHttpApp, type CorsPolicy, type FileEndpoint, type Readiness } from './http/create-http-app.js';
import type { StaticSite } from './http/static-sites.js';
import { attachUpgradeHandlers, closeServer, listen, serverUrl, type UpgradeHandler } from './http/http-server.js';
import type { AnyRouteDefinition } from './http/route-definition.js';
import { RouterTable } from './http/router-table.js';
import type { WebhookDefinition } from './http/webhook-definition.js';
import { openLog } from './log-backend.js';
import { metricsAuthorizer } from './metrics/metrics-auth.js';
import { logRecordsByTopic } from './metrics/log-records.js';
import { RuntimeMetrics } from './metrics/runtime-metrics.js';
import { PipelineHealth } from './pipeline-health.js';
import { createLogger, type Logger, type LoggerOptions } from './logger.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi/build-openapi-document.js';
import type { RunningApp, RuntimeServices } from './runtime-services.js';
import { AppSupervisor, type DetachedAppOptions } from './topologies/app-supervisor.js';
import { BUILT_IN_TOPOLOGIES, type TopologyDefinition } from './topologies/topology-definition.js';
import { RUNTIME_VERSION } from './version.js';

/** created → starting → running → stopping → stopped (a failed start goes back to stopped). */
export type RuntimeState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

export interface RuntimeOptions {
  /** Where log lines go and how they look; the level defaults to the configuration's `logLevel`. */
  logging?: Omit<LoggerOptions, 'secrets'>;
  /** Topologies run besides the built-in ones. */
  topologies?: readonly TopologyDefinition[];
  /** Routes served besides the built-in ones. */
  routes?: readonly AnyRouteDefinition[];
  /** Provider webhook hooks. */
  webhooks?: readonly WebhookDefinition[];
  /** Run BUILT_IN_TOPOLOGIES. Default true. */
  builtInTopologies?: boolean;
  /** How long requests in flight may take to finish on stop(), in milliseconds. Default `http.shutdownGraceMs`. */
  shutdownGraceMs?: number;
  /**
   * The file-system calls the embedded log writes its segments with. Default node:fs. For
   * fault-injection tests (`FaultyFs` of `@parley/streams/testing`); ignored on Kafka.
   */
  embeddedLogFs?: SegmentFs;
}

/** What an upgrade endpoint's `start` gets: the host interface's context plus the configuration. */
export interface UpgradeContext extends HostUpgradeContext {
  readonly logger: Logger;
  readonly config: RuntimeConfig;
  /** The runtime's Prometheus metrics, for services that count what they do. */
  readonly metrics: RuntimeMetrics;
}

/** An upgrade endpoint (websockets): the host interface's definition (`@parley/sources`). */
export type { UpgradeDefinition } from '@parley/sources';

/**
 * A background part of the platform with the runtime's lifecycle (the webhook publisher and
 * delivery worker): `start` once the log is open and the topologies run, before HTTP is served;
 * `stop` once the HTTP server has finished the requests in flight (which may use the service),
 * before the streams applications and the log.
 */
export interface ServiceDefinition {
  /** Unique, for logs (`webhooks`). */
  name: string;
  /**
   * Called once the log is open, before the topologies start: the place to choose which version
   * of a topology runs (`replaceTopology`) or to finish work that must happen while none runs
   * (a promotion interrupted by a crash).
   */
  prepare?(context: UpgradeContext): void | Promise<void>;
  start(context: UpgradeContext): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/** A runtime made by createRuntime. */
export interface Runtime {
  readonly state: RuntimeState;
  readonly config: RuntimeConfig;
  readonly dataDir: DataDir;
  /** Base URL of the HTTP API (`http://127.0.0.1:8080`); RUNTIME_STATE before start(). */
  readonly url: string;
  /** The system token once started; undefined when auth is disabled. */
  readonly systemToken: string | undefined;
  /** 'generated' on the start that created it, then 'data-dir'; 'config' when configured. */
  readonly systemTokenOrigin: SystemTokenOrigin | undefined;
  /** The open log; RUNTIME_STATE before start(). */
  readonly log: Log;
  /** Streams applications by topology name. */
  readonly apps: ReadonlyMap<string, RunningApp>;
  /** Detached applications (reprocess shadows) by name: not in `apps`, /ready or the write admission. */
  readonly detachedApps: ReadonlyMap<string, RunningApp>;
  /** The Prometheus metrics (also served at `GET /metrics`). */
  readonly metrics: RuntimeMetrics;
  /** The routes served, for documentation and contract tests. */
  readonly routes: readonly AnyRouteDefinition[];
  registerTopology(definition: TopologyDefinition): void;
  /** The registered definition of topology `name` (the one started, or to be started). */
  topologyDefinition(name: string): TopologyDefinition | undefined;
  /**
   * Runs `definition` as topology `name` instead of the registered one: before the topologies
   * start, it is registered in its place; while running, the old application is closed and the
   * new one started, `beforeStart` awaited in between (RUNTIME_TOPOLOGY_UNKNOWN,
   * RUNTIME_TOPOLOGY_FAILED). RUNTIME_STATE otherwise.
   */
  replaceTopology(name: string, definition: TopologyDefinition, beforeStart?: () => Promise<void>): Promise<void>;
  /** Starts a detached application (running runtime only; RUNTIME_STATE otherwise). */
  startDetachedApp(definition: TopologyDefinition, options?: DetachedAppOptions): Promise<RunningApp>;
  /** Closes a detached application; nothing when none runs under `name`. */
  stopDetachedApp(name: string): Promise<void>;
  registerRoute(route: AnyRouteDefinition): void;
  registerWebhook(webhook: WebhookDefinition): void;
  /** Serves upgrade requests (websockets) at `definition.path`; unknown upgrade paths get a 404. */
  registerUpgrade(definition: UpgradeDefinition): void;
  /** Lets browser pages of `policy.origins` call `policy.paths` (CORS preflights and headers). */
  registerCors(policy: CorsPolicy): void;
  /** Serves `GET <prefix><name>` (stored files such as uploaded media) with `endpoint`. */
  registerFiles(prefix: string, endpoint: FileEndpoint): void;
  /** Serves a directory of built browser assets under `site.mount` (the inbox at `/ui`). */
  registerStaticSite(site: StaticSite): void;
  /** Runs a background service with the runtime (started after the topologies, stopped first). */
  registerService(definition: ServiceDefinition): void;
  /** How login session tokens (JWTs with a `sid`) are checked against the sessions kept (the users service sets it). */
  setSessionCheck(check: SessionCheck | undefined): void;
  /**
   * Who the runtime's own auth says sent these headers (system token or user JWT; anonymous
   * when auth is disabled). RUNTIME_UNAUTHORIZED, RUNTIME_FORBIDDEN; RUNTIME_STATE before start().
   * For routes with a token of their own that also accept the runtime's.
   */
  authenticate(headers: RequestHeaders): Promise<Principal>;
  /** The OpenAPI 3.1 document of the registered routes (also served at `GET /openapi.json`). */
  openApiDocument(): OpenApiDocument;
  /** An HS256 JWT this runtime accepts; RUNTIME_STATE unless started with auth enabled. */
  signToken(options: SignJwtOptions): Promise<string>;
  /** Opens the log, starts the topologies, then serves HTTP. */
  start(): Promise<void>;
  /**
   * Drains, then stops: `/ready` answers 503 (state `stopping`) and answers ask clients to close
   * their connections; after `http.drainDelayMs` the server stops accepting connections and lets
   * requests in flight finish (up to `http.shutdownGraceMs`); then the services, the streams
   * applications (committing and leaving their groups, so other instances take their partitions
   * at once) and the log close. Idempotent.
   */
  stop(): Promise<void>;
}

/**
 * A runtime for a configuration (validated here; RUNTIME_CONFIG_INVALID). Register extra
 * topologies, routes and webhooks before start().
 */
export function createRuntime(config: RuntimeConfigInput | RuntimeConfig, options: RuntimeOptions = {}): Runtime {
  return new ParleyRuntime(resolveConfig(config), options);
}

class ParleyRuntime implements Runtime {
  readonly config: RuntimeConfig;
  readonly dataDir: DataDir;
  readonly #options: RuntimeOptions;
  readonly #secrets = new SecretSet();
  readonly #logger: Logger;
  readonly #topologies: TopologyDefinition[];
  readonly #routes = new RouterTable();
  readonly #webhooks = new Map<string, WebhookDefinition>();
  readonly #upgrades = new Map<string, UpgradeDefinition>();
  readonly #upgradeHandlers = new Map<string, UpgradeHandler>();
  readonly #cors: CorsPolicy[] = [];
  readonly #files = new Map<string, FileEndpoint>();
  readonly #staticSites: StaticSite[] = [];
  readonly #backgroundServices = new Map<string, ServiceDefinition>();
  /** Services whose start() ran, to stop on shutdown. */
  #startedServices: ServiceDefinition[] = [];
  /** Upgrade endpoints whose start() ran, to stop on shutdown. */
  #startedUpgrades: UpgradeDefinition[] = [];
  #state: RuntimeState = 'created';
  #log: Log | undefined;
  #supervisor: AppSupervisor | undefined;
  #server: http.Server | undefined;
  #url: string | undefined;
  #auth: { authenticator: Authenticator; systemToken?: string; origin?: SystemTokenOrigin; jwtSecret?: string } | undefined;
  #stopping: Promise<void> | undefined;
  #sessionCheck: SessionCheck | undefined;
  readonly #health = new PipelineHealth({ apps: () => this.apps });
  /** Upgraded sockets open now, by endpoint path (the websocket clients metric). */
  readonly #upgradedSockets = new Map<string, Set<Duplex>>();
  readonly metrics = new RuntimeMetrics({
    apps: () => this.apps,
    logRecords: () => (this.#log === undefined ? Promise.resolve(new Map()) : logRecordsByTopic(this.#log)),
    websocketClients: () => new Map([...this.#upgradedSockets].map(([path, sockets]) => [path, sockets.size])),
  });

  constructor(config: RuntimeConfig, options: RuntimeOptions) {
    this.config = config;
    this.#options = options;
    this.dataDir = new DataDir(config.dataDir);
    this.#secrets.add(config.auth.jwtSecret, config.auth.systemToken, config.metrics.token);
    this.#secrets.add(...stringLeaves(config.sources), config.media.s3?.secretAccessKey);
    this.#logger = createLogger({ level: config.logLevel, ...options.logging, secrets: this.#secrets });
    this.#topologies = options.builtInTopologies === false ? [] : [...BUILT_IN_TOPOLOGIES];
    for (const t of options.topologies ?? []) this.registerTopology(t);
    for (const r of [...BUILT_IN_ROUTES, ...(options.routes ?? [])]) this.#routes.add(r);
    for (const w of options.webhooks ?? []) this.registerWebhook(w);
  }

  get state(): RuntimeState {
    return this.#state;
  }

  get url(): string {
    if (this.#url === undefined) throw new RuntimeError('RUNTIME_STATE', `the runtime is ${this.#state}: it has no URL`);
    return this.#url;
  }

  get systemToken(): string | undefined {
    return this.#auth?.systemToken;
  }

  get systemTokenOrigin(): SystemTokenOrigin | undefined {
    return this.#auth?.origin;
  }

  get log(): Log {
    if (this.#log === undefined) throw new RuntimeError('RUNTIME_STATE', `the runtime is ${this.#state}: its log is not open`);
    return this.#log;
  }

  get apps(): ReadonlyMap<string, RunningApp> {
    return this.#supervisor?.apps ?? new Map();
  }

  get detachedApps(): ReadonlyMap<string, RunningApp> {
    return this.#supervisor?.detached ?? new Map();
  }

  topologyDefinition(name: string): TopologyDefinition | undefined {
    return this.#topologies.find((t) => t.name === name);
  }

  async replaceTopology(name: string, definition: TopologyDefinition, beforeStart?: () => Promise<void>): Promise<void> {
    const index = this.#topologies.findIndex((t) => t.name === name);
    if (index < 0) throw new RuntimeError('RUNTIME_TOPOLOGY_UNKNOWN', `no topology named ${name} is registered`);
    const replacement = { ...definition, name };
    if (this.#supervisor === undefined && (this.#state === 'created' || this.#state === 'starting')) {
      await beforeStart?.();
      this.#topologies[index] = replacement;
      return;
    }
    if (this.#state !== 'running') throw new RuntimeError('RUNTIME_STATE', `cannot replace topology ${name}: the runtime is ${this.#state}`);
    await this.#supervisor!.replace(name, replacement, beforeStart);
    this.#topologies[index] = replacement;
  }

  startDetachedApp(definition: TopologyDefinition, options?: DetachedAppOptions): Promise<RunningApp> {
    if (this.#supervisor === undefined || (this.#state !== 'running' && this.#state !== 'starting')) {
      return Promise.reject(new RuntimeError('RUNTIME_STATE', `cannot start ${definition.name}: the runtime is ${this.#state}`));
    }
    return this.#supervisor.startDetached(definition, options);
  }

  async stopDetachedApp(name: string): Promise<void> {
    await this.#supervisor?.stopDetached(name);
  }

  get routes(): readonly AnyRouteDefinition[] {
    return this.#routes.list();
  }

  registerTopology(definition: TopologyDefinition): void {
    this.#assertCreated('register a topology');
    if (typeof definition?.name !== 'string' || typeof definition.build !== 'function') throw new TypeError('a topology definition needs a name and a build function');
    if (this.#topologies.some((t) => t.name === definition.name)) throw new TypeError(`topology ${definition.name} is already registered`);
    if (this.#topologies.some((t) => t.applicationId === definition.applicationId)) throw new TypeError(`application id ${definition.applicationId} is already used`);
    this.#topologies.push(definition);
  }

  registerRoute(route: AnyRouteDefinition): void {
    this.#assertCreated('register a route');
    this.#routes.add(route);
  }

  registerWebhook(webhook: WebhookDefinition): void {
    this.#assertCreated('register a webhook');
    if (typeof webhook?.provider !== 'string' || !/^[a-z][a-z0-9-]*$/.test(webhook.provider)) throw new TypeError(`invalid webhook provider ${JSON.stringify(webhook?.provider)}`);
    if (this.#webhooks.has(webhook.provider)) throw new TypeError(`a webhook for ${webhook.provider} is already registered`);
    this.#webhooks.set(webhook.provider, webhook);
  }

  registerUpgrade(definition: UpgradeDefinition): void {
    this.#assertCreated('register an upgrade endpoint');
    if (typeof definition?.path !== 'string' || !/^\/[A-Za-z0-9._~/-]*$/.test(definition.path) || typeof definition.handle !== 'function') {
      throw new TypeError('an upgrade definition needs a path (/…) and a handle function');
    }
    if (this.#upgrades.has(definition.path)) throw new TypeError(`an upgrade endpoint at ${definition.path} is already registered`);
    this.#upgrades.set(definition.path, definition);
  }

  registerCors(policy: CorsPolicy): void {
    this.#assertCreated('register a CORS policy');
    if (!Array.isArray(policy?.paths) || !Array.isArray(policy.origins) || policy.origins.length === 0) throw new TypeError('a CORS policy needs paths and at least one origin');
    this.#cors.push({ ...policy, paths: [...policy.paths], origins: [...policy.origins] });
  }

  registerFiles(prefix: string, endpoint: FileEndpoint): void {
    this.#assertCreated('register a file endpoint');
    if (typeof prefix !== 'string' || !/^\/[a-z][a-z0-9-]*\/$/.test(prefix) || typeof endpoint?.serve !== 'function') throw new TypeError('a file endpoint needs a prefix (/name/) and a serve function');
    if (this.#files.has(prefix)) throw new TypeError(`a file endpoint at ${prefix} is already registered`);
    this.#files.set(prefix, endpoint);
  }

  registerStaticSite(site: StaticSite): void {
    this.#assertCreated('register a static site');
    if (typeof site?.mount !== 'string' || !/^\/[a-z0-9-]+$/.test(site.mount) || typeof site.directory !== 'string') throw new TypeError('a static site needs a mount (/name) and a directory');
    if (this.#staticSites.some((s) => s.mount === site.mount)) throw new TypeError(`a static site at ${site.mount} is already registered`);
    this.#staticSites.push({ ...site });
  }

  registerService(definition: ServiceDefinition): void {
    this.#assertCreated('register a service');
    if (typeof definition?.name !== 'string' || typeof definition.start !== 'function') throw new TypeError('a service definition needs a name and a start function');
    if (this.#backgroundServices.has(definition.name)) throw new TypeError(`a service named ${definition.name} is already registered`);
    this.#backgroundServices.set(definition.name, definition);
  }

  setSessionCheck(check: SessionCheck | undefined): void {
    this.#sessionCheck = check;
  }

  authenticate(headers: RequestHeaders): Promise<Principal> {
    const auth = this.#auth;
    if (auth === undefined) return Promise.reject(new RuntimeError('RUNTIME_STATE', `the runtime is ${this.#state}: it authenticates nobody`));
    return auth.authenticator.authenticate(headers);
  }

  openApiDocument(): OpenApiDocument {
    return buildOpenApiDocument({ routes: this.#routes.list(), webhookProviders: [...this.#webhooks.keys()], version: RUNTIME_VERSION });
  }

  async signToken(options: SignJwtOptions): Promise<string> {
    const secret = this.#auth?.jwtSecret;
    if (secret === undefined) throw new RuntimeError('RUNTIME_STATE', 'tokens can be signed only by a started runtime with auth enabled');
    return signJwt(secret, options);
  }

  async start(): Promise<void> {
    this.#assertCreated('start');
    this.#state = 'starting';
    try {
      this.dataDir.ensure();
      this.#auth = this.#loadAuth();
      const log = await openLog(this.config, this.dataDir, this.#options.embeddedLogFs);
      // The API writes through a log that refuses appends while the pipeline cannot take them;
      // the applications through one that is only watched (they retry on their own).
      this.#log = this.#health.guarded(log);
      for (const service of this.#backgroundServices.values()) await service.prepare?.({ log: this.#log, logger: this.#logger, config: this.config, metrics: this.metrics });
      const supervisor = new AppSupervisor({ log: this.#health.observed(log), config: this.config, dataDir: this.dataDir, logger: this.#logger, watch: (app, name) => {
          this.#health.watch(app);
          this.metrics.watch(name, app);
        },
      });
      this.#supervisor = supervisor;
      await supervisor.start(this.#topologies);
      for (const service of this.#backgroundServices.values()) {
        this.#startedServices.push(service);
        await service.start({ log: this.#log, logger: this.#logger, config: this.config, metrics: this.metrics });
      }
      for (const upgrade of this.#upgrades.values()) {
        this.#startedUpgrades.push(upgrade);
        const context: UpgradeContext = { log: this.#log, logger: this.#logger, config: this.config, metrics: this.metrics };
        await upgrade.start?.(context);
      }
      await this.#serve();
    } catch (err) {
      await this.#shutdown();
      this.#state = 'stopped';
      throw err;
    }
    this.#state = 'running';
    this.#logger.info('runtime.started', { url: this.#url, dataDir: this.dataDir.root, log: this.config.log.backend, topologies: [...this.apps.keys()], auth: this.config.auth.enabled });
  }

  stop(): Promise<void> {
    if (this.#state === 'created' || this.#state === 'stopped') {
      this.#state = 'stopped';
      return Promise.resolve();
    }
    this.#stopping ??= (async () => {
      this.#state = 'stopping';
      await this.#drain();
      await this.#shutdown();
      this.#state = 'stopped';
      this.#logger.info('runtime.stopped', {});
    })();
    return this.#stopping;
  }

  #loadAuth(): { authenticator: Authenticator; systemToken?: string; origin?: SystemTokenOrigin; jwtSecret?: string } {
    if (!this.config.auth.enabled) {
      this.#logger.warn('runtime.auth.disabled', { reason: 'auth.enabled is false: every request is let in' });
      return { authenticator: createAuthenticator({ enabled: false }) };
    }
    const secrets = loadAuthSecrets(this.config, this.dataDir);
    this.#secrets.add(secrets.systemToken, secrets.jwtSecret);
    for (const file of secrets.permissionsFixed) this.#logger.warn('runtime.auth.permissions_fixed', { file, mode: '0600' });
    const authenticator = createAuthenticator({ enabled: true, systemToken: secrets.systemToken, jwtSecret: secrets.jwtSecret, sessionCheck: () => this.#sessionCheck });
    return { authenticator, systemToken: secrets.systemToken, origin: secrets.systemTokenOrigin, jwtSecret: secrets.jwtSecret };
  }

  async #serve(): Promise<void> {
    const document = this.openApiDocument();
    const app = createHttpApp({
      routes: this.#routes,
      webhooks: this.#webhooks,
      authenticator: this.#auth!.authenticator,
      services: () => this.#services(),
      logger: this.#logger,
      secrets: this.#secrets,
      bodyLimitBytes: this.config.http.bodyLimitBytes,
      bodyTimeoutMs: this.config.http.bodyTimeoutMs,
      readiness: () => this.#readiness(),
      health: () => {
        const { healthy, checks } = this.#health.report();
        return { ready: healthy, checks };
      },
      admitWrite: () => this.#health.assertWritable(),
      openApiDocument: () => document,
      cors: this.#cors,
      files: this.#files,
      staticSites: this.#staticSites,
      metrics: { metrics: this.metrics, authorize: metricsAuthorizer(this.#auth!.authenticator, this.config.metrics.token) },
    });
    this.#server = await listen(app, this.config.http, this.config.http);
    for (const [path, upgrade] of this.#upgrades) {
      const open = new Set<Duplex>();
      this.#upgradedSockets.set(path, open);
      this.#upgradeHandlers.set(path, (request, socket, head) => {
        open.add(socket);
        socket.once('close', () => open.delete(socket));
        upgrade.handle(request, socket, head);
      });
    }
    attachUpgradeHandlers(this.#server, this.#upgradeHandlers);
    this.#url = serverUrl(this.#server);
    fs.writeFileSync(this.dataDir.runtimeFile, `${JSON.stringify({ url: this.#url, pid: process.pid })}\n`);
  }

  #services(): RuntimeServices {
    return { config: this.config, log: this.log, apps: this.apps, detachedApps: this.detachedApps, webhookProviders: [...this.#webhooks.keys()], signToken: (options) => this.signToken(options) };
  }

  #readiness(): Readiness {
    const checks: Record<string, string> = { runtime: this.#state === 'running' ? 'running' : this.#state };
    for (const [name, { app }] of this.apps) checks[`app:${name}`] = app.state;
    return { ready: Object.values(checks).every((s) => s === 'running'), checks };
  }

  /** While stopping: tells clients to go elsewhere, and waits `http.drainDelayMs` for load balancers to notice `/ready`. */
  async #drain(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    // First, so that it runs before the app answers: every answer from now on closes its connection.
    server.prependListener('request', (_request: http.IncomingMessage, response: http.ServerResponse) => response.setHeader('Connection', 'close'));
    const delayMs = this.config.http.drainDelayMs;
    this.#logger.info('runtime.draining', { delayMs });
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }

  /** Undoes whatever start() got to: upgrades and server, then services, then applications, then log. */
  async #shutdown(): Promise<void> {
    // Upgraded sockets are the HTTP server's until they close: close them before it waits for them.
    for (const upgrade of this.#startedUpgrades.reverse()) {
      try {
        await upgrade.stop?.();
      } catch (err) {
        this.#logger.error('runtime.upgrade.stop_failed', { path: upgrade.path, err });
      }
    }
    this.#startedUpgrades = [];
    this.#upgradeHandlers.clear();
    if (this.#server !== undefined) {
      await closeServer(this.#server, this.#options.shutdownGraceMs ?? this.config.http.shutdownGraceMs);
      fs.rmSync(this.dataDir.runtimeFile, { force: true });
      this.#server = undefined;
    }
    for (const service of this.#startedServices.reverse()) {
      try {
        await service.stop?.();
      } catch (err) {
        this.#logger.error('runtime.service.stop_failed', { service: service.name, err });
      }
    }
    this.#startedServices = [];
    await this.#supervisor?.close();
    try {
      await this.#log?.close();
    } catch (err) {
      this.#logger.error('runtime.log.close_failed', { err });
    }
    this.#log = undefined;
    this.#url = undefined;
  }

  #assertCreated(action: string): void {
    if (this.#state !== 'created') throw new RuntimeError('RUNTIME_STATE', `cannot ${action}: the runtime is ${this.#state}`);
  }
}

/** Every string inside a value: each is a possible secret (a provider section holds little else). */
function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringLeaves);
}
