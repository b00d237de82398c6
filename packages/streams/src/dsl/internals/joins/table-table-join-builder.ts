import type { ProcessorSupplier } from '../../../processor/processor.js';
import type { StoreBuilder } from '../../../state/builders/store-builder.js';
import type { KTable } from '../../k-table.js';
import type { TableOperatorOptions } from '../../options.js';
import { CopartitionNode } from '../graph/copartition-node.js';
import { ProcessorGraphNode } from '../graph/processor-graph-node.js';
import { KTableImpl } from '../k-table-impl.js';
import { joinedValueGetterSupplier, KTableKTableJoin, tableJoinResult, type TableJoinKind } from './table-table-join-processor.js';
import { KTableKTableJoinMerger } from './table-table-join-merger.js';
import { storeValueGetterSupplier } from '../tables/k-table-value-getter.js';
import { materializedStoreBuilder } from '../tables/table-materialization.js';

const PREFIXES: Record<TableJoinKind, readonly [string, string]> = {
  inner: ['KTABLE-JOINTHIS-', 'KTABLE-JOINOTHER-'],
  left: ['KTABLE-LEFTJOINTHIS-', 'KTABLE-LEFTJOINOTHER-'],
  outer: ['KTABLE-OUTERTHIS-', 'KTABLE-OUTEROTHER-'],
};

/**
 * Declares a table-table equi-join: one processor per input table (each reading the other table
 * through its value getter, which connects it to the other table's stores) and a merge processor,
 * named `named` (its sides `<named>-join-this` / `-join-other`) or Kafka-style generated names.
 * The inputs are declared co-partitioned.
 */
export function joinTables<TKey, TLeft, TRight, TValueOut>(
  left: KTableImpl<TKey, TLeft>,
  rightTable: KTable<TKey, TRight>,
  joiner: (left: TLeft | null, right: TRight | null) => TValueOut,
  spec: { kind: TableJoinKind; options: TableOperatorOptions<TKey, TValueOut> | undefined },
): KTable<TKey, TValueOut> {
  if (!(rightTable instanceof KTableImpl) || rightTable.builder !== left.builder) {
    throw new TypeError('a table join needs a KTable of the same StreamsBuilder');
  }
  if (typeof joiner !== 'function') throw new TypeError('the joiner must be a function');
  const right = rightTable as KTableImpl<TKey, TRight>;
  const { builder } = left;
  const named = spec.options?.named;
  const [thisPrefix, otherPrefix] = PREFIXES[spec.kind];
  const thisName = named === undefined ? builder.names.newProcessorName(thisPrefix) : builder.names.claim(`${named}-join-this`);
  const otherName = named === undefined ? builder.names.newProcessorName(otherPrefix) : builder.names.claim(`${named}-join-other`);
  const mergeName = builder.names.orGenerate(named, 'KTABLE-MERGE-');
  const store = materializedStoreBuilder(builder, spec.options?.materialized, { prefix: 'KTABLE-MERGE-', keySerde: left.serdes.keySerde });
  const result = tableJoinResult(spec.kind, joiner);

  const side = (name: string, parent: KTableImpl<TKey, unknown>, which: 'left' | 'right', other: KTableImpl<TKey, unknown>) =>
    builder.addNode(
      new ProcessorGraphNode(name, [parent.node], {
        supplier: new KTableKTableJoin({ kind: spec.kind, side: which, other: other.valueGetterSupplier, result }) as ProcessorSupplier<never, never>,
        connectedStores: other.valueGetterSupplier.storeNames(),
      }),
    );
  const thisNode = side(thisName, left as KTableImpl<TKey, unknown>, 'left', right as KTableImpl<TKey, unknown>);
  const otherNode = side(otherName, right as KTableImpl<TKey, unknown>, 'right', left as KTableImpl<TKey, unknown>);
  const mergeNode = builder.addNode(
    new ProcessorGraphNode(mergeName, [thisNode, otherNode], {
      supplier: new KTableKTableJoinMerger<TKey, TValueOut>(store?.name) as ProcessorSupplier<never, never>,
      storeBuilders: store === undefined ? [] : [store as StoreBuilder<unknown>],
    }),
  );
  builder.addNode(new CopartitionNode(`${mergeName}-copartition`, [left.node, right.node]));
  return new KTableImpl({
    builder,
    node: mergeNode,
    serdes: { keySerde: left.serdes.keySerde, valueSerde: spec.options?.materialized?.valueSerde },
    valueGetterSupplier:
      store === undefined
        ? joinedValueGetterSupplier(left.valueGetterSupplier, right.valueGetterSupplier, result)
        : storeValueGetterSupplier(store.name),
    queryableStoreName: store?.name,
  });
}
