import type { StreamPartitioner } from '../../../processor/sink-types.js';
import type { Topology } from '../../../processor/topology.js';
import type { Serde } from '../../../serde/types.js';
import { KStreamFilter } from '../stateless/k-stream-filter.js';
import { GraphNode } from './graph-node.js';

export interface RepartitionSpec {
  /** Topic name without the application id, ending in `-repartition`. */
  topic: string;
  sinkName: string;
  sourceName: string;
  /** Set for automatic repartitions: records with a null key are dropped before the sink. */
  nullKeyFilterName: string | undefined;
  keySerde: Serde<unknown>;
  valueSerde: Serde<unknown>;
  partitions: number | undefined;
  partitioner: StreamPartitioner<unknown, unknown> | undefined;
}

/**
 * Writes a stream to an internal repartition topic and reads it back: a sink and a source on the
 * same topic, which splits the topology into two sub-topologies there.
 */
export class RepartitionNode extends GraphNode {
  readonly #spec: RepartitionSpec;

  constructor(parent: GraphNode, spec: RepartitionSpec) {
    super(spec.sinkName, [parent]);
    this.#spec = spec;
  }

  override get outputName(): string {
    return this.#spec.sourceName;
  }

  writeToTopology(topology: Topology): void {
    const { topic, sinkName, sourceName, nullKeyFilterName, keySerde, valueSerde, partitions, partitioner } = this.#spec;
    topology.addInternalTopic(topic, partitions === undefined ? {} : { partitions });
    let parents = this.parentNames;
    if (nullKeyFilterName !== undefined) {
      topology.addProcessor(nullKeyFilterName, new KStreamFilter((key) => key !== null && key !== undefined, false), ...parents);
      parents = [nullKeyFilterName];
    }
    topology.addSink({ name: sinkName, topic, keySerde, valueSerde, ...(partitioner === undefined ? {} : { partitioner }) }, ...parents);
    topology.addSource({ name: sourceName, topics: [topic], keySerde, valueSerde });
  }
}
