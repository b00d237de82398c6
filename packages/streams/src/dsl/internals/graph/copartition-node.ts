import type { NodeDescription } from '../../../processor/internals/topology-description.js';
import type { Topology } from '../../../processor/topology.js';
import { GraphNode } from './graph-node.js';

/**
 * Declares that the source topics feeding `parents` must be co-partitioned (an equi-join's two
 * inputs): writes no node, only `Topology.copartition` with the topics found upstream of each
 * parent, so the engine refuses to run when their partition counts differ.
 */
export class CopartitionNode extends GraphNode {
  writeToTopology(topology: Topology): void {
    const description = topology.describe();
    const byName = new Map<string, NodeDescription>();
    for (const sub of description.subtopologies) for (const node of sub.nodes) byName.set(node.name, node);
    const topics = new Set<string>();
    const seen = new Set<string>();
    const walk = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      const node = byName.get(name);
      if (node === undefined) return;
      for (const topic of node.topics ?? []) topics.add(topic);
      node.predecessors.forEach(walk);
    };
    this.parentNames.forEach(walk);
    topology.copartition([...topics].sort());
  }
}
