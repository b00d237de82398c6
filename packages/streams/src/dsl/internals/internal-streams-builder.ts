import { Topology } from '../../processor/topology.js';
import type { GraphNode } from './graph/graph-node.js';
import { NameProvider } from './name-provider.js';

/**
 * The DSL's graph: operators append nodes, `build()` writes them into a fresh Topology — store
 * nodes first, then everything else in creation order (so parents precede children).
 */
export class InternalStreamsBuilder {
  readonly names = new NameProvider();
  readonly #nodes: GraphNode[] = [];

  addNode<TNode extends GraphNode>(node: TNode): TNode {
    this.#nodes.push(node);
    return node;
  }

  build(): Topology {
    const topology = new Topology();
    for (const node of this.#nodes) if (node.writesFirst) node.writeToTopology(topology);
    for (const node of this.#nodes) if (!node.writesFirst) node.writeToTopology(topology);
    return topology;
  }
}

/** Rejects a non-function operator argument where it was passed, not at build time. */
export function assertFunction(fn: unknown, what: string): void {
  if (typeof fn !== 'function') throw new TypeError(`${what} must be a function`);
}
