import { StreamsApp, type Log, type Topology } from '@parley/streams';
import type { RuntimeConfig } from '../config/config-schema.js';
import type { DataDir } from '../data-dir.js';
import { RuntimeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RunningApp } from '../runtime-services.js';
import type { TopologyDefinition } from './topology-definition.js';

export interface AppSupervisorOptions {
  log: Log;
  config: RuntimeConfig;
  dataDir: DataDir;
  logger: Logger;
  /** Called with each application as it is created (the runtime follows their retries for /health). */
  watch?: (app: StreamsApp, name: string) => void;
}

/** How a detached application (a reprocess shadow) runs: on its own view of the log. */
export interface DetachedAppOptions {
  /** The log the application reads and writes through (e.g. one that redirects its outputs). Default the supervisor's. */
  log?: (log: Log) => Log;
}

/**
 * Starts one StreamsApp per enabled topology definition, watches their states, closes them. It
 * also runs detached applications (reprocess shadows): started and stopped one by one, not part
 * of `apps` (so not of /ready or the write admission), closed with the others.
 */
export class AppSupervisor {
  readonly #options: AppSupervisorOptions;
  readonly #apps = new Map<string, RunningApp>();
  readonly #detached = new Map<string, RunningApp>();

  constructor(options: AppSupervisorOptions) {
    this.#options = options;
  }

  /** Running applications by topology name. */
  get apps(): ReadonlyMap<string, RunningApp> {
    return this.#apps;
  }

  /** Detached applications by name. */
  get detached(): ReadonlyMap<string, RunningApp> {
    return this.#detached;
  }

  /**
   * Starts the enabled definitions in order; each resolves once it is restored and running. When
   * one fails, the ones already started are closed and RUNTIME_TOPOLOGY_FAILED is thrown.
   */
  async start(definitions: readonly TopologyDefinition[]): Promise<void> {
    for (const definition of definitions) {
      if (definition.enabled !== undefined && !definition.enabled(this.#options.config)) continue;
      try {
        await this.#launch(definition, this.#apps, this.#options.log, true);
      } catch (cause) {
        await this.close();
        throw topologyFailed(definition, cause);
      }
    }
  }

  /**
   * Closes the application of topology `name`, awaits `beforeStart` (work that needs neither
   * version running), and starts `definition` in its place (same name).
   * RUNTIME_TOPOLOGY_UNKNOWN when no such topology runs; RUNTIME_TOPOLOGY_FAILED when the new one
   * cannot start (nothing runs under the name then).
   */
  async replace(name: string, definition: TopologyDefinition, beforeStart?: () => Promise<void>): Promise<void> {
    const running = this.#apps.get(name);
    if (running === undefined) throw new RuntimeError('RUNTIME_TOPOLOGY_UNKNOWN', `no topology named ${name} runs here`);
    await running.app.close();
    try {
      await beforeStart?.();
      await this.#launch({ ...definition, name }, this.#apps, this.#options.log, true);
    } catch (cause) {
      this.#apps.delete(name);
      throw topologyFailed(definition, cause);
    }
  }

  /** Starts `definition` as a detached application; RUNTIME_TOPOLOGY_FAILED when it cannot start. */
  async startDetached(definition: TopologyDefinition, options: DetachedAppOptions = {}): Promise<RunningApp> {
    if (this.#detached.has(definition.name)) throw new RuntimeError('RUNTIME_STATE', `a detached application ${definition.name} already runs`);
    const log = options.log?.(this.#options.log) ?? this.#options.log;
    try {
      return await this.#launch(definition, this.#detached, log, false);
    } catch (cause) {
      const failed = this.#detached.get(definition.name);
      this.#detached.delete(definition.name);
      await failed?.app.close().catch(() => undefined);
      throw topologyFailed(definition, cause);
    }
  }

  /** Closes the detached application `name`, if it runs. */
  async stopDetached(name: string): Promise<void> {
    const running = this.#detached.get(name);
    this.#detached.delete(name);
    await running?.app.close();
  }

  async #launch(definition: TopologyDefinition, into: Map<string, RunningApp>, log: Log, watched: boolean): Promise<RunningApp> {
    const { config, dataDir, logger } = this.#options;
    if (definition.topics !== undefined && definition.topics.length > 0) await log.createTopics(definition.topics, { ifNotExists: true });
    const topology = definition.build({ config, dataDir, logger });
    // The platform's applications retry a transient failure (a full disk, an unreachable
    // broker) until it clears, however long that takes: /health says they are recovering.
    const { memory } = config;
    const appOptions = {
      taskTimeoutMs: Infinity,
      cacheMaxBytesPerStore: memory.storeCacheBytes,
      leveldb: { blockCacheBytes: memory.leveldbBlockCacheBytes, writeBufferBytes: memory.leveldbWriteBufferBytes },
      ...definition.appOptions,
    };
    const app = new StreamsApp(topology, { ...appOptions, applicationId: definition.applicationId, log, stateDir: dataDir.stateDir });
    app.on('state', (next, previous) => logger.info('runtime.app.state', { topology: definition.name, state: next, previous }));
    app.on('error', (err) => logger.error('runtime.app.error', { topology: definition.name, err }));
    app.on('retry', (err, delayMs) => logger.warn('runtime.app.retry', { topology: definition.name, delayMs, err }));
    app.on('globalStoresLoaded', (loaded) => logger.info('runtime.app.global_stores_loaded', { topology: definition.name, ...loaded }));
    if (watched) this.#options.watch?.(app, definition.name);
    const running = { definition, app, stores: storeNames(topology) };
    into.set(definition.name, running);
    await app.start();
    await definition.onStarted?.(app);
    return running;
  }

  /** Closes every application, last started first; a failing close is logged, not thrown. */
  async close(): Promise<void> {
    for (const [name, { app }] of [...this.#detached, ...[...this.#apps].reverse()]) {
      try {
        await app.close();
      } catch (err) {
        this.#options.logger.error('runtime.app.close_failed', { topology: name, err });
      }
    }
    this.#detached.clear();
    this.#apps.clear();
  }
}

function topologyFailed(definition: TopologyDefinition, cause: unknown): RuntimeError {
  return new RuntimeError('RUNTIME_TOPOLOGY_FAILED', `topology ${definition.name} could not start: ${(cause as Error)?.message ?? cause}`, { cause });
}

/** The state stores of a topology (its processors' and global stores'), for metrics. */
function storeNames(topology: Topology): string[] {
  const { subtopologies, globalStores } = topology.describe();
  const nodes = [...subtopologies.flatMap((s) => s.nodes), ...globalStores.map((g) => g.processor)];
  return [...new Set(nodes.flatMap((n) => n.stores ?? []))].sort();
}
