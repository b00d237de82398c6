import type { TopologySnapshot } from './node-definitions.js';

/**
 * Splits a topology's non-global nodes into sub-topologies: the connected components of the
 * parent/child graph, where processors sharing a store count as connected. A sink and a source
 * on the same topic are not connected, which is how repartition topics split sub-topologies.
 * Components are numbered by the insertion order of their first node, so the numbering is stable.
 */
export function groupSubtopologies(snapshot: TopologySnapshot): string[][] {
  const parent = new Map<string, string>();
  const find = (name: string): string => {
    let root = name;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let cursor = name;
    while (cursor !== root) {
      const next = parent.get(cursor)!;
      parent.set(cursor, root);
      cursor = next;
    }
    return root;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(rb, ra);
  };

  for (const name of snapshot.nodes.keys()) if (!snapshot.globalNodes.has(name)) parent.set(name, name);
  for (const node of snapshot.nodes.values()) {
    if (snapshot.globalNodes.has(node.name) || node.kind === 'source') continue;
    for (const p of node.parents) union(p, node.name);
  }
  for (const store of snapshot.stores.values()) {
    if (store.global) continue;
    for (let i = 1; i < store.processors.length; i++) union(store.processors[0]!, store.processors[i]!);
  }

  const groups = new Map<string, string[]>();
  for (const name of parent.keys()) {
    const root = find(name);
    let group = groups.get(root);
    if (group === undefined) groups.set(root, (group = []));
    group.push(name);
  }
  return [...groups.values()];
}
