import type { Topology } from '../../../processor/topology.js';

/**
 * A logical node of the DSL graph. Operators only create these; `StreamsBuilder.build()` asks
 * each to write itself into a Topology, in creation order (parents always come first).
 */
export abstract class GraphNode {
  readonly name: string;
  readonly parents: readonly GraphNode[];

  constructor(name: string, parents: readonly GraphNode[]) {
    this.name = name;
    this.parents = parents;
  }

  /** The Topology node children attach to (differs from `name` for multi-node graph nodes). */
  get outputName(): string {
    return this.name;
  }

  /** Stores are written before every other node so processors can connect to them by name. */
  get writesFirst(): boolean {
    return false;
  }

  protected get parentNames(): string[] {
    return this.parents.map((p) => p.outputName);
  }

  abstract writeToTopology(topology: Topology): void;
}
