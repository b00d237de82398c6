import type { StreamPartitioner } from '../../processor/sink-types.js';
import type { Serde } from '../../serde/types.js';
import type { GraphNode } from './graph/graph-node.js';
import { RepartitionNode } from './graph/repartition-node.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';

const REPARTITION_SUFFIX = '-repartition';
const GENERATED = /^KSTREAM.*-\d{10}$/;

export interface RepartitionThroughSpec<TKey, TValue> {
  /** The operator's name; the topic is `<prefix>-repartition`. */
  prefix: string;
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  /** Automatic repartitions (before a stateful operator) drop null keys, which cannot be partitioned. */
  filterNullKeys: boolean;
  partitions: number | undefined;
  partitioner: StreamPartitioner<TKey, TValue> | undefined;
}

/**
 * Adds a repartition node, named as Kafka names it (`createRepartitionedSource`): three names are
 * always drawn from the counter so later generated names do not depend on the choice; a
 * generated prefix uses them, a user-given one derives `<topic>-sink`, `-source`, `-filter`.
 */
export function repartitionThrough<TKey, TValue>(
  builder: InternalStreamsBuilder,
  parent: GraphNode,
  spec: RepartitionThroughSpec<TKey, TValue>,
): GraphNode {
  const topic = spec.prefix.endsWith(REPARTITION_SUFFIX) ? spec.prefix : `${spec.prefix}${REPARTITION_SUFFIX}`;
  const generatedSink = builder.names.newProcessorName('KSTREAM-SINK-');
  const generatedFilter = builder.names.newProcessorName('KSTREAM-FILTER-');
  const generatedSource = builder.names.newProcessorName('KSTREAM-SOURCE-');
  const generated = GENERATED.test(spec.prefix);
  const name = (generatedName: string, suffix: string): string => (generated ? generatedName : builder.names.claim(`${topic}${suffix}`));
  return builder.addNode(
    new RepartitionNode(parent, {
      topic,
      sinkName: name(generatedSink, '-sink'),
      sourceName: name(generatedSource, '-source'),
      nullKeyFilterName: spec.filterNullKeys ? name(generatedFilter, '-filter') : undefined,
      keySerde: spec.keySerde as Serde<unknown>,
      valueSerde: spec.valueSerde as Serde<unknown>,
      partitions: spec.partitions,
      partitioner: spec.partitioner as StreamPartitioner<unknown, unknown> | undefined,
    }),
  );
}
