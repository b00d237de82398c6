import type { ProcessorSupplier } from '../../../processor/processor.js';
import type { Serde } from '../../../serde/types.js';
import type { Joined } from '../../joined.js';
import type { KStream } from '../../k-stream.js';
import type { KTable } from '../../k-table.js';
import { CopartitionNode } from '../graph/copartition-node.js';
import { ProcessorGraphNode } from '../graph/processor-graph-node.js';
import { assertFunction } from '../internal-streams-builder.js';
import { KStreamImpl } from '../k-stream-impl.js';
import { KStreamKTableJoin } from './stream-table-join-processor.js';
import { KTableImpl } from '../k-table-impl.js';

/**
 * Declares a stream-table join: repartitions the stream by its key first when a key-changing
 * operator ran upstream (topic `<joined.named or the stream's node name>-repartition`), adds the
 * join processor connected to the table's stores, and declares both inputs co-partitioned.
 */
export function joinStreamTable<TKey, TValue, TTableValue, TValueOut>(
  stream: KStreamImpl<TKey, TValue>,
  tableArg: KTable<TKey, TTableValue>,
  joiner: (value: TValue, tableValue: TTableValue | null, key: TKey) => TValueOut,
  spec: { leftJoin: boolean; joined: Joined<TKey, TValue> | undefined },
): KStream<TKey, TValueOut> {
  if (!(tableArg instanceof KTableImpl) || tableArg.builder !== stream.builder) {
    throw new TypeError('a stream-table join needs a KTable of the same StreamsBuilder');
  }
  assertFunction(joiner, 'joiner');
  const table = tableArg as KTableImpl<TKey, TTableValue>;
  const { builder } = stream;
  const joined = spec.joined ?? {};
  let keySerde: Serde<TKey> | undefined = joined.keySerde ?? stream.serdes.keySerde ?? table.serdes.keySerde;
  let upstream = stream.node;
  if (stream.repartitionRequired) {
    if (keySerde === undefined) throw new TypeError('join: the key type changed upstream, so pass joined.keySerde');
    const valueSerde = stream.requireValueSerde(joined.valueSerde, 'join');
    upstream = stream.repartitionIfRequired(joined.named ?? stream.node.name, keySerde, valueSerde);
  } else {
    keySerde = stream.serdes.keySerde;
  }
  const name = builder.names.orGenerate(joined.named, spec.leftJoin ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
  const supplier = new KStreamKTableJoin<TKey, TValue, TKey, TTableValue, TValueOut>({
    table: table.valueGetterSupplier,
    keyMapper: (key) => key,
    joiner,
    leftJoin: spec.leftJoin,
  });
  const node = builder.addNode(
    new ProcessorGraphNode(name, [upstream], {
      supplier: supplier as ProcessorSupplier<never, never>,
      connectedStores: table.valueGetterSupplier.storeNames(),
    }),
  );
  builder.addNode(new CopartitionNode(`${name}-copartition`, [upstream, table.node]));
  return new KStreamImpl({ builder, node, serdes: { keySerde, valueSerde: undefined }, repartitionRequired: false });
}
