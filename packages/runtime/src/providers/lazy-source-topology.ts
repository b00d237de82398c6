import type { ProviderTopology } from '@parley/sources';
import type { TopologyDefinition } from '../topologies/topology-definition.js';

/**
 * A TopologyDefinition for a source's router or connector whose topology comes from the source
 * instance, which needs the open log: the runtime calls `build()` (and reads `appOptions`) only
 * while starting, after opening it.
 */
export function lazySourceTopology(options: ProviderTopology): TopologyDefinition {
  const { get } = options;
  return {
    name: options.name,
    applicationId: options.applicationId,
    topics: options.topics,
    build: () => get().build(),
    get appOptions() {
      return get().appOptions;
    },
  };
}
