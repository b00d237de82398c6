import type { ProcessorSupplier } from '../../../processor/processor.js';
import type { StoreBuilder } from '../../../state/builders/store-builder.js';
import type { Topology } from '../../../processor/topology.js';
import { GraphNode } from './graph-node.js';

export interface ProcessorNodeSpec {
  supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
  /** Stores this node owns: added to the topology and connected to it. */
  storeBuilders?: readonly StoreBuilder<unknown>[];
  /** Existing stores (another node's, or `builder.addStateStore`'s) this node reads or writes. */
  connectedStores?: readonly string[];
}

/** One processor of an operator, with the stores it owns or uses. */
export class ProcessorGraphNode extends GraphNode {
  readonly #spec: ProcessorNodeSpec;

  constructor(name: string, parents: readonly GraphNode[], spec: ProcessorNodeSpec) {
    super(name, parents);
    this.#spec = spec;
  }

  writeToTopology(topology: Topology): void {
    topology.addProcessor(this.name, this.#spec.supplier, ...this.parentNames);
    for (const builder of this.#spec.storeBuilders ?? []) topology.addStateStore(builder, this.name);
    const connected = this.#spec.connectedStores ?? [];
    if (connected.length > 0) topology.connectProcessorAndStateStores(this.name, ...connected);
  }
}
