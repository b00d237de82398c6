import type { StoreBuilder } from '../../state/builders/store-builder.js';
import type { NodeDefinition, SourceNodeDefinition, TopologySnapshot } from './node-definitions.js';
import { groupSubtopologies } from './subtopology-grouping.js';

/** @internal A store of a sub-topology as the engine sees it. */
export interface StorePlan {
  readonly name: string;
  readonly builder: StoreBuilder<unknown>;
  /** `<applicationId>-<name>-changelog`, or null when logging is disabled or the store is global. */
  readonly changelogTopic: string | null;
  readonly processors: readonly string[];
}

/** @internal One sub-topology (or one global store's source + processor), ready to instantiate as tasks. */
export interface SubtopologyPlan {
  readonly id: number;
  readonly global: boolean;
  /** In insertion order: every parent comes before its children. */
  readonly nodes: readonly NodeDefinition[];
  /** Run-time topic names this sub-topology reads. */
  readonly sourceTopics: readonly string[];
  /** The subset of `sourceTopics` that are this application's repartition topics. */
  readonly repartitionSourceTopics: readonly string[];
  /** Run-time names of topics written by fixed-topic sinks. */
  readonly sinkTopics: readonly string[];
  readonly stores: readonly StorePlan[];
  /** The run-time name of a topic as written in the topology (internal topics get the prefix). */
  resolveTopic(name: string): string;
}

/** @internal A repartition topic the engine must create. */
export interface RepartitionTopicPlan {
  /** Run-time name: `<applicationId>-<name>`. */
  readonly name: string;
  /** Fixed partition count, or undefined: use the maximum of the writing sub-topology's source topics. */
  readonly partitions: number | undefined;
  readonly writtenBy: readonly number[];
  readonly readBy: number;
}

/** @internal Everything the engine (and the TopologyTestDriver) needs to run a topology. */
export interface TopologyPlan {
  readonly applicationId: string;
  readonly subtopologies: readonly SubtopologyPlan[];
  readonly globalStores: readonly SubtopologyPlan[];
  readonly repartitionTopics: readonly RepartitionTopicPlan[];
  readonly changelogTopics: readonly string[];
  /** Groups of run-time source topic names that must have equal partition counts. */
  readonly copartitionGroups: readonly (readonly string[])[];
}

export function changelogTopicName(applicationId: string, storeName: string): string {
  return `${applicationId}-${storeName}-changelog`;
}

export function buildTopologyPlan(snapshot: TopologySnapshot, applicationId: string): TopologyPlan {
  const resolveTopic = (name: string): string => (snapshot.internalTopics.has(name) ? `${applicationId}-${name}` : name);
  const storePlan = (name: string): StorePlan => {
    const reg = snapshot.stores.get(name)!;
    const logged = reg.builder.loggingEnabled && !reg.global;
    return { name, builder: reg.builder, changelogTopic: logged ? changelogTopicName(applicationId, name) : null, processors: [...reg.processors] };
  };
  const planOf = (id: number, names: readonly string[], global: boolean): SubtopologyPlan => {
    const nodes = names.map((n) => snapshot.nodes.get(n)!);
    const sources = nodes.filter((n): n is SourceNodeDefinition => n.kind === 'source');
    const storeNames = [...new Set(nodes.flatMap((n) => (n.kind === 'processor' ? n.stores : [])))];
    const rawTopics = sources.flatMap((s) => s.topics);
    return {
      id,
      global,
      nodes,
      sourceTopics: rawTopics.map(resolveTopic),
      repartitionSourceTopics: rawTopics.filter((t) => snapshot.internalTopics.has(t)).map(resolveTopic),
      sinkTopics: [...new Set(nodes.flatMap((n) => (n.kind === 'sink' && n.topic !== undefined ? [resolveTopic(n.topic)] : [])))],
      stores: storeNames.map(storePlan),
      resolveTopic,
    };
  };

  const subtopologies = groupSubtopologies(snapshot).map((names, id) => planOf(id, names, false));
  const globalStores = snapshot.globalStores.map((g, i) =>
    planOf(subtopologies.length + i, [g.sourceName, g.processorName], true),
  );
  return {
    applicationId,
    subtopologies,
    globalStores,
    repartitionTopics: repartitionTopics(snapshot, subtopologies, resolveTopic),
    changelogTopics: subtopologies.flatMap((s) => s.stores.flatMap((st) => (st.changelogTopic === null ? [] : [st.changelogTopic]))),
    copartitionGroups: copartitionGroups(snapshot, resolveTopic),
  };
}

function repartitionTopics(
  snapshot: TopologySnapshot,
  subtopologies: readonly SubtopologyPlan[],
  resolveTopic: (name: string) => string,
): RepartitionTopicPlan[] {
  return [...snapshot.internalTopics].map(([name, config]) => {
    const runtime = resolveTopic(name);
    return {
      name: runtime,
      partitions: config.partitions,
      writtenBy: subtopologies.filter((s) => s.sinkTopics.includes(runtime)).map((s) => s.id),
      readBy: subtopologies.find((s) => s.sourceTopics.includes(runtime))?.id ?? -1,
    };
  });
}

/**
 * Source topics feeding the processors that share a store must be co-partitioned (the store holds
 * one partition's keys), as must explicitly declared groups (join inputs). Overlapping groups merge.
 */
function copartitionGroups(snapshot: TopologySnapshot, resolveTopic: (name: string) => string): string[][] {
  const upstream = (name: string, seen = new Set<string>()): string[] => {
    if (seen.has(name)) return [];
    seen.add(name);
    const node = snapshot.nodes.get(name);
    if (node === undefined) return [];
    if (node.kind === 'source') return [...node.topics];
    return node.parents.flatMap((p) => upstream(p, seen));
  };
  const candidates: string[][] = snapshot.copartitionGroups.map((g) => [...g]);
  for (const store of snapshot.stores.values()) {
    if (store.global) continue;
    candidates.push([...new Set(store.processors.flatMap((p) => upstream(p)))]);
  }
  const merged: Set<string>[] = [];
  for (const group of candidates.filter((g) => g.length > 1)) {
    const overlapping = merged.filter((m) => group.some((t) => m.has(t)));
    const union = new Set([...group, ...overlapping.flatMap((m) => [...m])]);
    for (const m of overlapping) merged.splice(merged.indexOf(m), 1);
    merged.push(union);
  }
  return merged.map((m) => [...m].map(resolveTopic).sort());
}
