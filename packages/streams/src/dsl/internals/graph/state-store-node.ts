import type { StoreBuilder } from '../../../state/builders/store-builder.js';
import type { Topology } from '../../../processor/topology.js';
import { GraphNode } from './graph-node.js';

/** A store added with `StreamsBuilder.addStateStore`, for `process`/`processValues` to connect to. */
export class StateStoreNode extends GraphNode {
  readonly #builder: StoreBuilder<unknown>;

  constructor(builder: StoreBuilder<unknown>) {
    super(builder.name, []);
    this.#builder = builder;
  }

  override get writesFirst(): boolean {
    return true;
  }

  writeToTopology(topology: Topology): void {
    topology.addStateStore(this.#builder);
  }
}
