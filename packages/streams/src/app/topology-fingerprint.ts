import { createHash } from 'node:crypto';
import { StreamsError } from '../errors.js';
import type { TopologyPlan } from '../processor/internals/topology-plan.js';
import type { StateDirectory } from './state-directory.js';

/** What of a topology its persisted state depends on. */
export interface TopologyFingerprint {
  /** Store name → changelog topic (or null) and the store kind. */
  stores: Record<string, { changelog: string | null; persistent: boolean }>;
  repartitionTopics: string[];
  /** Sub-topology of each store: a store that moves to another sub-topology changes its task ids. */
  storeSubtopologies: Record<string, number>;
  hash: string;
}

const FILE = 'topology.json';

export function fingerprintOf(plan: TopologyPlan): TopologyFingerprint {
  const stores: TopologyFingerprint['stores'] = {};
  const storeSubtopologies: Record<string, number> = {};
  for (const s of plan.subtopologies) {
    for (const st of s.stores) {
      stores[st.name] = { changelog: st.changelogTopic, persistent: st.builder.persistent };
      storeSubtopologies[st.name] = s.id;
    }
  }
  const repartitionTopics = plan.repartitionTopics.map((t) => t.name).sort();
  const hash = createHash('sha256').update(JSON.stringify({ stores, repartitionTopics, storeSubtopologies })).digest('hex');
  return { stores, repartitionTopics, storeSubtopologies, hash };
}

/**
 * Differences that would make the existing state wrong if the new topology ran on it: a store
 * that disappeared or moved (its state would be orphaned or read by the wrong task) and
 * repartition topics that changed (records in flight would be read by the wrong operator).
 * New stores are compatible: they start empty, as Kafka Streams does.
 */
export function incompatibilities(previous: TopologyFingerprint, next: TopologyFingerprint): string[] {
  const problems: string[] = [];
  for (const [name, store] of Object.entries(previous.stores)) {
    const now = next.stores[name];
    if (now === undefined) problems.push(`store ${name} no longer exists (was it renamed? generated names shift when operators are added: name stateful operators)`);
    else if (now.changelog !== store.changelog) problems.push(`store ${name} changed its changelog from ${store.changelog} to ${now.changelog}`);
    else if (previous.storeSubtopologies[name] !== next.storeSubtopologies[name]) problems.push(`store ${name} moved from sub-topology ${previous.storeSubtopologies[name]} to ${next.storeSubtopologies[name]}`);
  }
  const removed = previous.repartitionTopics.filter((t) => !next.repartitionTopics.includes(t));
  if (removed.length > 0) problems.push(`repartition topics ${removed.join(', ')} are no longer used`);
  return problems;
}

/** Refuses to run a topology whose state layout is incompatible with the one persisted; then persists the new one. */
export function checkAndPersistFingerprint(dir: StateDirectory, plan: TopologyPlan, applicationId: string): void {
  const next = fingerprintOf(plan);
  const stored = dir.readFile(FILE);
  if (stored !== undefined) {
    const previous = JSON.parse(stored) as TopologyFingerprint;
    const problems = previous.hash === next.hash ? [] : incompatibilities(previous, next);
    if (problems.length > 0) {
      throw new StreamsError(
        'STREAMS_TOPOLOGY_INCOMPATIBLE',
        `the topology of ${applicationId} changed in a way its state cannot follow: ${problems.join('; ')}. ` +
          'Run it under a new application id (reprocessing) or reset the application.',
      );
    }
  }
  dir.writeFile(FILE, JSON.stringify(next, null, 2));
}
