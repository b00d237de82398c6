import { COMMUNICATION_TOPICS } from '@parley/schemas';
import type { NewTopic, Topology } from '@parley/streams';
import type { CommunicationReadModel } from './read-model/communication-read-model.js';
import { buildCommunicationTopology } from './topology/communication-topology.js';

/** The model topics the communication topology reads (the metadata topic is also written). */
export const COMMUNICATION_INPUT_DATASETS = ['messages', 'metadata', 'contacts', 'readReceipts', 'channels', 'tags', 'templates'] as const;

/** The communication topology in the shape the runtime's `TopologyDefinition` takes (structurally). */
export interface CommunicationTopologyDefinition {
  name: string;
  applicationId: string;
  build(): Topology;
  /** The model topics it reads, created (if missing) before it starts. */
  topics: NewTopic[];
}

export interface CommunicationDefinitionOptions {
  /** Default `communication`. */
  applicationId?: string;
  /** Partitions of the model topics when this creates them; default 1. */
  partitions?: number;
}

/**
 * The communication topology as a runtime topology definition: it creates the model topics it
 * reads (if missing) and feeds `readModel`'s index. After the app has started, call
 * `readModel.attach(app)` so queries are answered.
 */
export function communicationTopologyDefinition(readModel: CommunicationReadModel, options: CommunicationDefinitionOptions = {}): CommunicationTopologyDefinition {
  const partitions = options.partitions ?? 1;
  const topics: NewTopic[] = COMMUNICATION_INPUT_DATASETS.map((dataset) => ({
    name: COMMUNICATION_TOPICS[dataset].name,
    partitions,
    config: { ...COMMUNICATION_TOPICS[dataset].config },
  }));
  return {
    name: 'communication',
    applicationId: options.applicationId ?? 'communication',
    build: () => buildCommunicationTopology({ listener: readModel.listener }),
    topics,
  };
}
