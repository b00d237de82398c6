import type { ProcessorSupplier } from '../../../processor/processor.js';
import type { StoreBuilder } from '../../../state/builders/store-builder.js';
import type { Serde } from '../../../serde/types.js';
import type { KTable } from '../../k-table.js';
import type { GraphNode } from '../graph/graph-node.js';
import { ProcessorGraphNode } from '../graph/processor-graph-node.js';
import type { InternalStreamsBuilder } from '../internal-streams-builder.js';
import { KTableImpl } from '../k-table-impl.js';
import type { KTableValueGetterSupplier } from '../tables/k-table-value-getter.js';
import { repartitionThrough } from '../repartition.js';

/** @internal What a grouped stream knows: where it hangs, its serdes, whether it must repartition. */
export interface GroupedStreamSource<TKey, TValue> {
  readonly builder: InternalStreamsBuilder;
  readonly node: GraphNode;
  readonly keySerde: Serde<TKey> | undefined;
  readonly valueSerde: Serde<TValue> | undefined;
  /** True after groupBy or a key-changing operator: aggregations read through a repartition topic. */
  readonly repartitionRequired: boolean;
  /** `Grouped.name`: names the repartition topic, which all aggregations of this grouping then share. */
  readonly repartitionName: string | undefined;
}

/** @internal One aggregation to add: its processor, store and result serdes. */
export interface AggregationSpec<TKeyOut, TValueOut> {
  processorName: string;
  storeName: string;
  supplier: ProcessorSupplier<never, never, never, never>;
  storeBuilder: StoreBuilder<unknown>;
  keySerde: Serde<TKeyOut>;
  valueSerde: Serde<TValueOut>;
  valueGetterSupplier: KTableValueGetterSupplier<TKeyOut, TValueOut>;
}

/**
 * @internal Adds the aggregations of one grouped stream (Kafka's `GroupedStreamAggregateBuilder`):
 * repartitions first when required, through `<Grouped.name or store name>-repartition`. With a
 * Grouped name the topic is created once and shared by every aggregation of the grouping;
 * otherwise each aggregation gets its own. Callers draw the store name, then the processor
 * name, then call `build` (which draws the repartition names): Kafka's naming order.
 */
export class GroupedStreamAggregateBuilder<TKey, TValue> {
  readonly source: GroupedStreamSource<TKey, TValue>;
  #repartitionNode: GraphNode | undefined;

  constructor(source: GroupedStreamSource<TKey, TValue>) {
    this.source = source;
  }

  build<TKeyOut, TValueOut>(spec: AggregationSpec<TKeyOut, TValueOut>): KTable<TKeyOut, TValueOut> {
    const { builder } = this.source;
    const parent = this.#parentFor(spec.storeName);
    const node = builder.addNode(
      new ProcessorGraphNode(spec.processorName, [parent], { supplier: spec.supplier, storeBuilders: [spec.storeBuilder] }),
    );
    return new KTableImpl({
      builder,
      node,
      serdes: { keySerde: spec.keySerde, valueSerde: spec.valueSerde },
      valueGetterSupplier: spec.valueGetterSupplier,
      queryableStoreName: spec.storeName,
    });
  }

  #parentFor(storeName: string): GraphNode {
    const { builder, node, repartitionRequired, repartitionName, keySerde, valueSerde } = this.source;
    if (!repartitionRequired) return node;
    if (this.#repartitionNode !== undefined && repartitionName !== undefined) {
      // Kafka draws the repartition names again even when it reuses the topic; so do we, to keep later names equal.
      for (const prefix of ['KSTREAM-SINK-', 'KSTREAM-FILTER-', 'KSTREAM-SOURCE-']) builder.names.newProcessorName(prefix);
      return this.#repartitionNode;
    }
    if (keySerde === undefined || valueSerde === undefined) throw new TypeError('repartitioning before an aggregation needs a keySerde and a valueSerde (pass them in Grouped)');
    this.#repartitionNode = repartitionThrough(builder, node, {
      prefix: repartitionName ?? storeName,
      keySerde,
      valueSerde,
      filterNullKeys: true,
      partitions: undefined,
      partitioner: undefined,
    });
    return this.#repartitionNode;
  }
}
