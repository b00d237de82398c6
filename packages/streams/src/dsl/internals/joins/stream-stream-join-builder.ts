import type { ProcessorSupplier } from '../../../processor/processor.js';
import type { StoreBuilder } from '../../../state/builders/store-builder.js';
import type { Serde } from '../../../serde/types.js';
import { JoinWindows } from '../../join-windows.js';
import type { StreamJoined } from '../../joined.js';
import type { KStream } from '../../k-stream.js';
import { CopartitionNode } from '../graph/copartition-node.js';
import { ProcessorGraphNode } from '../graph/processor-graph-node.js';
import { assertFunction } from '../internal-streams-builder.js';
import { indexedStoreBuilder } from './join-stores/indexed-store-builder.js';
import { joinWindowStoreBuilder } from './join-stores/join-window-store.js';
import { KStreamImpl } from '../k-stream-impl.js';
import { KStreamKStreamJoin } from './stream-stream-join-processor.js';
import { KStreamPassThrough } from '../stateless/k-stream-pass-through.js';

export type StreamJoinKind = 'inner' | 'left' | 'outer';

const PREFIXES: Record<StreamJoinKind, readonly [string, string]> = {
  inner: ['KSTREAM-JOINTHIS-', 'KSTREAM-JOINOTHER-'],
  left: ['KSTREAM-JOINTHIS-', 'KSTREAM-OUTEROTHER-'],
  outer: ['KSTREAM-OUTERTHIS-', 'KSTREAM-OUTEROTHER-'],
};

/**
 * Declares a windowed stream-stream join: each stream gets a join processor that writes its window store and reads the
 * other's, and a merge processor joins the two result streams. Left and outer joins add the
 * shared outer store. Both inputs are declared co-partitioned.
 * Each side is repartitioned (topic `<named or its node name>-left|right-repartition`) only if a
 * key-changing operator ran upstream of it.
 */
export function joinStreams<TKey, TLeft, TRight, TValueOut>(
  left: KStreamImpl<TKey, TLeft>,
  rightArg: KStream<TKey, TRight>,
  joiner: (left: TLeft | null, right: TRight | null, key: TKey) => TValueOut,
  spec: { kind: StreamJoinKind; windows: JoinWindows; joined: StreamJoined<TKey, TLeft, TRight> | undefined },
): KStream<TKey, TValueOut> {
  if (!(rightArg instanceof KStreamImpl) || rightArg.builder !== left.builder) throw new TypeError('a stream join needs a KStream of the same StreamsBuilder');
  if (!(spec.windows instanceof JoinWindows)) throw new TypeError('a stream join needs JoinWindows');
  assertFunction(joiner, 'joiner');
  const right = rightArg as KStreamImpl<TKey, TRight>;
  const { builder } = left;
  const joined = spec.joined ?? {};
  const keySerde = need(joined.keySerde ?? left.serdes.keySerde ?? right.serdes.keySerde, 'keySerde');
  const leftSerde = need(joined.valueSerde ?? left.serdes.valueSerde, 'valueSerde');
  const rightSerde = need(joined.otherValueSerde ?? right.serdes.valueSerde, 'otherValueSerde');
  const base = joined.named;
  const leftUp = left.repartitionIfRequired(`${base ?? left.node.name}-left`, keySerde, leftSerde);
  const rightUp = right.repartitionIfRequired(`${base ?? right.node.name}-right`, keySerde, rightSerde);

  const [thisPrefix, otherPrefix] = PREFIXES[spec.kind];
  const thisName = base === undefined ? builder.names.newProcessorName(thisPrefix) : builder.names.claim(`${base}-this-join`);
  const otherName = base === undefined ? builder.names.newProcessorName(otherPrefix) : builder.names.claim(`${base}-other-join`);
  const storePrefix = joined.storeName ?? base;
  const { windows } = spec;
  const storeSpec = { retentionMs: windows.beforeMs + windows.afterMs + windows.graceMs, persistent: joined.persistent ?? true, logging: joined.logging ?? true };
  const thisStore = joinWindowStoreBuilder({ ...storeSpec, name: storePrefix === undefined ? `${thisName}-store` : `${storePrefix}-this-join-store` });
  const otherStore = joinWindowStoreBuilder({ ...storeSpec, name: storePrefix === undefined ? `${otherName}-store` : `${storePrefix}-other-join-store` });
  const outerStore =
    spec.kind === 'inner'
      ? undefined
      : indexedStoreBuilder({
          name: storePrefix === undefined ? `${builder.names.newProcessorName('KSTREAM-OUTERSHARED-')}-store` : `${storePrefix}-outer-shared-join-store`,
          persistent: storeSpec.persistent,
          logging: storeSpec.logging,
        });
  const mergeName = builder.names.orGenerate(base === undefined ? undefined : `${base}-merge`, 'KSTREAM-MERGE-');

  const common = {
    beforeMs: windows.beforeMs,
    afterMs: windows.afterMs,
    graceMs: windows.graceMs,
    keySerde,
    leftSerde,
    rightSerde,
    joiner,
    outerStoreName: outerStore?.name,
  };
  const stores = [thisStore, otherStore, ...(outerStore === undefined ? [] : [outerStore])] as StoreBuilder<unknown>[];
  const addSide = (name: string, parent: typeof leftUp, side: 'left' | 'right') => {
    const [mine, theirs] = side === 'left' ? [thisStore, otherStore] : [otherStore, thisStore];
    return builder.addNode(
      new ProcessorGraphNode(name, [parent], {
        supplier: new KStreamKStreamJoin({
          ...common,
          side,
          thisStoreName: mine.name,
          otherStoreName: theirs.name,
          outer: side === 'left' ? spec.kind !== 'inner' : spec.kind === 'outer',
        }) as ProcessorSupplier<never, never>,
        // The first side adds every store (the second connects to them, so they must exist by then).
        storeBuilders: side === 'left' ? stores : [],
        connectedStores: side === 'left' ? [] : stores.map((s) => s.name),
      }),
    );
  };
  const thisNode = addSide(thisName, leftUp, 'left');
  const otherNode = addSide(otherName, rightUp, 'right');
  const mergeNode = builder.addNode(new ProcessorGraphNode(mergeName, [thisNode, otherNode], { supplier: new KStreamPassThrough() as ProcessorSupplier<never, never> }));
  builder.addNode(new CopartitionNode(`${mergeName}-copartition`, [leftUp, rightUp]));
  return new KStreamImpl({ builder, node: mergeNode, serdes: { keySerde, valueSerde: undefined }, repartitionRequired: false });
}

function need<T>(serde: Serde<T> | undefined, what: string): Serde<T> {
  if (serde === undefined) throw new TypeError(`stream join: the type changed upstream, so pass streamJoined.${what}`);
  return serde;
}
