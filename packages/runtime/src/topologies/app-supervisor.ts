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

/** Starts one StreamsApp per enabled topology definition, watches their states, closes them. */
export class AppSupervisor {
  readonly #options: AppSupervisorOptions;
  readonly #apps = new Map<string, RunningApp>();

  constructor(options: AppSupervisorOptions) {
    this.#options = options;
  }

  /** Running applications by topology name. */
  get apps(): ReadonlyMap<string, RunningApp> {
    return this.#apps;
  }

  /**
   * Starts the enabled definitions in order; each resolves once it is restored and running. When
   * one fails, the ones already started are closed and RUNTIME_TOPOLOGY_FAILED is thrown.
   */
  async start(definitions: readonly TopologyDefinition[]): Promise<void> {
    const { log, config, dataDir, logger } = this.#options;
    for (const definition of definitions) {
      if (definition.enabled !== undefined && !definition.enabled(config)) continue;
      try {
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
        this.#options.watch?.(app, definition.name);
        this.#apps.set(definition.name, { definition, app, stores: storeNames(topology) });
        await app.start();
        await definition.onStarted?.(app);
      } catch (cause) {
        await this.close();
        throw new RuntimeError('RUNTIME_TOPOLOGY_FAILED', `topology ${definition.name} could not start: ${(cause as Error)?.message ?? cause}`, { cause });
      }
    }
  }

  /** Closes every application, last started first; a failing close is logged, not thrown. */
  async close(): Promise<void> {
    for (const [name, { app }] of [...this.#apps].reverse()) {
      try {
        await app.close();
      } catch (err) {
        this.#options.logger.error('runtime.app.close_failed', { topology: name, err });
      }
    }
    this.#apps.clear();
  }
}

/** The state stores of a topology (its processors' and global stores'), for metrics. */
function storeNames(topology: Topology): string[] {
  const { subtopologies, globalStores } = topology.describe();
  const nodes = [...subtopologies.flatMap((s) => s.nodes), ...globalStores.map((g) => g.processor)];
  return [...new Set(nodes.flatMap((n) => n.stores ?? []))].sort();
}
