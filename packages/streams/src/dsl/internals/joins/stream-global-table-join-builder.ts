import type { ProcessorSupplier } from '../../../processor/processor.js';
import type { GlobalKTable } from '../../global-k-table.js';
import type { KStream } from '../../k-stream.js';
import type { NamedOptions } from '../../options.js';
import { ProcessorGraphNode } from '../graph/processor-graph-node.js';
import { GlobalKTableImpl } from '../global-k-table-impl.js';
import { assertFunction } from '../internal-streams-builder.js';
import { KStreamImpl } from '../k-stream-impl.js';
import { KStreamKTableJoin } from './stream-table-join-processor.js';
import { storeValueGetterSupplier } from '../tables/k-table-value-getter.js';

/**
 * Declares a stream-global table join: each stream record looks up `keySelector(key, value)` in
 * the global store. No repartition and no co-partitioning: every task holds the whole table. The
 * stream keeps its key, so a pending repartition requirement carries over to the result.
 */
export function joinStreamGlobalTable<TKey, TValue, TGlobalKey, TGlobalValue, TValueOut>(
  stream: KStreamImpl<TKey, TValue>,
  globalArg: GlobalKTable<TGlobalKey, TGlobalValue>,
  keySelector: (key: TKey, value: TValue) => TGlobalKey | null | undefined,
  joiner: (value: TValue, globalValue: TGlobalValue | null, key: TKey) => TValueOut,
  spec: { leftJoin: boolean; options: NamedOptions | undefined },
): KStream<TKey, TValueOut> {
  if (!(globalArg instanceof GlobalKTableImpl) || globalArg.builder !== stream.builder) {
    throw new TypeError('a global table join needs a GlobalKTable of the same StreamsBuilder');
  }
  assertFunction(keySelector, 'keySelector');
  assertFunction(joiner, 'joiner');
  const { builder } = stream;
  const name = builder.names.orGenerate(spec.options?.named, spec.leftJoin ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
  const supplier = new KStreamKTableJoin<TKey, TValue, TGlobalKey, TGlobalValue, TValueOut>({
    // Global stores are readable by every processor without being connected.
    table: storeValueGetterSupplier(globalArg.queryableStoreName),
    keyMapper: keySelector,
    joiner,
    leftJoin: spec.leftJoin,
  });
  const node = builder.addNode(new ProcessorGraphNode(name, [stream.node], { supplier: supplier as ProcessorSupplier<never, never> }));
  return new KStreamImpl({
    builder,
    node,
    serdes: { keySerde: stream.serdes.keySerde, valueSerde: undefined },
    repartitionRequired: stream.repartitionRequired,
  });
}
