import type { GlobalStoreOptions, Topology } from '../../../processor/topology.js';
import { GraphNode } from './graph-node.js';

/** A global store fed from its topic (`StreamsBuilder.globalTable`): a source and its store processor. */
export class GlobalStoreNode extends GraphNode {
  readonly #options: GlobalStoreOptions<unknown, unknown>;

  constructor(options: GlobalStoreOptions<unknown, unknown>) {
    super(options.processorName, []);
    this.#options = options;
  }

  writeToTopology(topology: Topology): void {
    topology.addGlobalStore(this.#options);
  }
}
