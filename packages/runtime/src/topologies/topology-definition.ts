import type { NewTopic, StreamsApp, StreamsAppOptions, Topology } from '@parley/streams';
import type { RuntimeConfig } from '../config/config-schema.js';
import type { DataDir } from '../data-dir.js';
import type { Logger } from '../logger.js';

/** What a topology factory may read. */
export interface TopologyContext {
  config: RuntimeConfig;
  dataDir: DataDir;
  logger: Logger;
}

/**
 * A topology the runtime runs as one StreamsApp. The messaging topologies (conversations,
 * messages, metadata) and each source's router register one of these.
 */
export interface TopologyDefinition {
  /** Short unique name, shown by `apps.status` (`conversations`). */
  name: string;
  /** The StreamsApp's application id: consumer group, internal topic prefix, state directory. */
  applicationId: string;
  build(ctx: TopologyContext): Topology;
  /** Topics created (if missing) before the application starts, e.g. its input topics. Default none. */
  topics?: NewTopic[];
  /** Whether this configuration runs the topology (e.g. only when its source is enabled). Default: always. */
  enabled?(config: RuntimeConfig): boolean;
  /** Further StreamsApp options; `applicationId`, `log` and `stateDir` are the runtime's. */
  appOptions?: Omit<StreamsAppOptions, 'applicationId' | 'log' | 'stateDir'>;
  /**
   * Called once the application is running (restored), before the runtime serves HTTP: the place
   * to attach a read model to the app's stores. A rejection fails the start like a failed
   * application (RUNTIME_TOPOLOGY_FAILED). Default none.
   */
  onStarted?(app: StreamsApp): void | Promise<void>;
}

/** Topologies every runtime runs. The messaging model's topologies are added to this list. */
export const BUILT_IN_TOPOLOGIES: readonly TopologyDefinition[] = [];
