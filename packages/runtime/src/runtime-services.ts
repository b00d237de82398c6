import type { Log, StreamsApp } from '@parley/streams';
import type { SignJwtOptions } from './auth/jwt.js';
import type { RuntimeConfig } from './config/config-schema.js';
import type { TopologyDefinition } from './topologies/topology-definition.js';

/** One registered topology and the StreamsApp running it. */
export interface RunningApp {
  definition: TopologyDefinition;
  app: StreamsApp;
  /** Its state stores by name. */
  stores: readonly string[];
}

/** What route handlers can reach of a started runtime. */
export interface RuntimeServices {
  /** The resolved configuration, secrets included: handlers must never return it as is. */
  readonly config: RuntimeConfig;
  readonly log: Log;
  /** Running streams applications by topology name. */
  readonly apps: ReadonlyMap<string, RunningApp>;
  /** Detached applications (reprocess shadows) by name. */
  readonly detachedApps: ReadonlyMap<string, RunningApp>;
  /** Providers with a registered webhook hook. */
  readonly webhookProviders: readonly string[];
  /** A JWT this runtime accepts (RUNTIME_STATE when auth is disabled). */
  signToken(options: SignJwtOptions): Promise<string>;
}
