import type { NodeDefinition, TopologySnapshot } from './node-definitions.js';
import { groupSubtopologies } from './subtopology-grouping.js';

export interface NodeDescription {
  readonly kind: 'source' | 'processor' | 'sink';
  readonly name: string;
  /** Source topics (as written in the topology: repartition topics without the application id). */
  readonly topics?: readonly string[];
  /** Sink topic, or `extractor: <function name>` for a sink with a topic extractor. */
  readonly topic?: string;
  readonly stores?: readonly string[];
  readonly successors: readonly string[];
  readonly predecessors: readonly string[];
}

export interface SubtopologyDescription {
  readonly id: number;
  readonly nodes: readonly NodeDescription[];
}

export interface GlobalStoreDescription {
  readonly id: number;
  readonly source: NodeDescription;
  readonly processor: NodeDescription;
}

/** A topology as data; `toString()` gives the stable text form (Kafka's layout). */
export interface TopologyDescription {
  readonly subtopologies: readonly SubtopologyDescription[];
  readonly globalStores: readonly GlobalStoreDescription[];
  toString(): string;
}

export function describeTopology(snapshot: TopologySnapshot): TopologyDescription {
  const order = nodeOrder(snapshot);
  const describeNode = (node: NodeDefinition): NodeDescription => {
    const successors = node.kind === 'sink' ? [] : [...node.children].sort(order);
    const predecessors = node.kind === 'source' ? [] : [...node.parents].sort(order);
    if (node.kind === 'source') return { kind: 'source', name: node.name, topics: node.topics, successors, predecessors };
    if (node.kind === 'processor') return { kind: 'processor', name: node.name, stores: node.stores, successors, predecessors };
    const topic = node.topic ?? `extractor: ${node.topicExtractor?.name || 'anonymous'}`;
    return { kind: 'sink', name: node.name, topic, successors, predecessors };
  };
  const subtopologies = groupSubtopologies(snapshot).map((names, id) => ({
    id,
    nodes: [...names].sort(order).map((n) => describeNode(snapshot.nodes.get(n)!)),
  }));
  const globalStores = snapshot.globalStores.map((g, i) => ({
    id: subtopologies.length + i,
    source: describeNode(snapshot.nodes.get(g.sourceName)!),
    processor: describeNode(snapshot.nodes.get(g.processorName)!),
  }));
  return { subtopologies, globalStores, toString: () => render(subtopologies, globalStores) };
}

/**
 * Kafka's order: nodes with larger sub-trees first (so sources lead), ties broken by name.
 * Keeps the text stable whatever order the nodes were added in.
 */
function nodeOrder(snapshot: TopologySnapshot): (a: string, b: string) => number {
  const sizes = new Map<string, number>();
  const reach = (name: string, seen: Set<string>): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const node = snapshot.nodes.get(name);
    if (node !== undefined && node.kind !== 'sink') for (const c of node.children) reach(c, seen);
  };
  for (const name of snapshot.nodes.keys()) {
    const seen = new Set<string>();
    reach(name, seen);
    sizes.set(name, seen.size);
  }
  return (a, b) => sizes.get(b)! - sizes.get(a)! || (a < b ? -1 : a > b ? 1 : 0);
}

const names = (list: readonly string[]): string => (list.length === 0 ? 'none' : list.join(', '));

function renderNode(node: NodeDescription): string {
  switch (node.kind) {
    case 'source':
      return `Source: ${node.name} (topics: [${node.topics!.join(', ')}])\n      --> ${names(node.successors)}`;
    case 'processor':
      return (
        `Processor: ${node.name} (stores: [${node.stores!.join(', ')}])\n` +
        `      --> ${names(node.successors)}\n      <-- ${names(node.predecessors)}`
      );
    case 'sink':
      return `Sink: ${node.name} (topic: ${node.topic})\n      <-- ${names(node.predecessors)}`;
  }
}

function render(subtopologies: readonly SubtopologyDescription[], globalStores: readonly GlobalStoreDescription[]): string {
  let out = 'Topologies:\n';
  for (const s of subtopologies) {
    out += `   Sub-topology: ${s.id}\n`;
    for (const node of s.nodes) out += `    ${renderNode(node)}\n`;
    out += '\n';
  }
  for (const g of globalStores) {
    out += `   Sub-topology: ${g.id} for global store (will not generate tasks)\n`;
    out += `    ${renderNode(g.source)}\n    ${renderNode(g.processor)}\n\n`;
  }
  return out;
}
