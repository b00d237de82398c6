import type { ProcessorSupplier } from '../../../../processor/processor.js';
import type { StoreBuilder } from '../../../../state/builders/store-builder.js';
import { Serdes } from '../../../../serde/serdes.js';
import type { Serde } from '../../../../serde/types.js';
import type { ForeignKeyJoinOptions } from '../../../joined.js';
import type { KTable } from '../../../k-table.js';
import type { GraphNode } from '../../graph/graph-node.js';
import { ProcessorGraphNode } from '../../graph/processor-graph-node.js';
import { RepartitionNode } from '../../graph/repartition-node.js';
import { assertFunction } from '../../internal-streams-builder.js';
import { indexedStoreBuilder } from '../join-stores/indexed-store-builder.js';
import { KStreamPassThrough } from '../../stateless/k-stream-pass-through.js';
import { KTableImpl } from '../../k-table-impl.js';
import type { KTableValueGetterSupplier } from '../../tables/k-table-value-getter.js';
import { storeValueGetterSupplier } from '../../tables/k-table-value-getter.js';
import { materializedStoreBuilder } from '../../tables/table-materialization.js';
import { ForeignTableJoinProcessor } from './foreign-table-join-processor.js';
import { ResponseResolverProcessor } from './response-resolver-processor.js';
import { SubscriptionReceiveProcessor } from './subscription-receive-processor.js';
import { SubscriptionSendProcessor } from './subscription-send-processor.js';

type Options<K, V, KO, VO, VR> = ForeignKeyJoinOptions<K, V, KO, VO, VR> | undefined;

/**
 * Declares a foreign-key table join (KIP-213), Kafka's subscription/response design:
 *
 *   left table → subscription send → `<app>-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-<n>-topic`
 *     (keyed by foreign key) → subscription receive (subscription store, reads the right table)
 *   right table → foreign table join (prefix scan of the subscription store)
 *   both → `<app>-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-<n>-topic` (keyed by left key)
 *     → response resolver (drops stale answers, joins with the current left value) → result
 *
 * The two tables need not be co-partitioned: the internal topics take the partition counts of
 * the table each is read next to. With `named`, the topics are `<named>-subscription-registration-topic`
 * and `<named>-subscription-response-topic`, the store `<named>-subscription-store`.
 */
export function joinOnForeignKey<K, V, KO, VO, VR>(
  left: KTableImpl<K, V>,
  otherArg: KTable<KO, VO>,
  extractor: (value: V, key: K) => KO | null | undefined,
  joiner: (value: V, otherValue: VO | null) => VR,
  spec: { leftJoin: boolean; options: Options<K, V, KO, VO, VR> },
): KTable<K, VR> {
  if (!(otherArg instanceof KTableImpl) || otherArg.builder !== left.builder) throw new TypeError('a foreign-key join needs a KTable of the same StreamsBuilder');
  assertFunction(extractor, 'foreignKeyExtractor');
  assertFunction(joiner, 'joiner');
  const right = otherArg as KTableImpl<KO, VO>;
  const { builder } = left;
  const names = builder.names;
  const o = spec.options ?? {};
  const need = <T>(serde: Serde<T> | undefined, what: string): Serde<T> => {
    if (serde === undefined) throw new TypeError(`foreign-key join: the type changed upstream, so pass options.${what}`);
    return serde;
  };
  const keySerde = need(o.keySerde ?? left.serdes.keySerde, 'keySerde');
  const valueSerde = need(o.valueSerde ?? left.serdes.valueSerde, 'valueSerde');
  const otherKeySerde = need(o.otherKeySerde ?? right.serdes.keySerde, 'otherKeySerde');
  const otherValueSerde = need(o.otherValueSerde ?? right.serdes.valueSerde, 'otherValueSerde');
  const named = o.named;
  const name = (suffix: string, prefix: string): string => (named === undefined ? names.newProcessorName(prefix) : names.claim(`${named}-${suffix}`));
  // Topic names are not node names: a named join's are derived, a generated one draws a number.
  const topicBase = (suffix: string, prefix: string): string => (named === undefined ? names.newProcessorName(prefix) : `${named}-${suffix}`);
  const persistent = o.materialized?.persistent ?? true;
  const indexedStore = (suffix: string, prefix: string) =>
    indexedStoreBuilder({ name: named === undefined ? names.newStoreName(prefix) : `${named}-${suffix}`, persistent, logging: o.materialized?.logging ?? true });
  const bytes = Serdes.bytes() as Serde<unknown>;

  const sendName = name('subscription-registration', 'KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-');
  const sendNode = processor(sendName, [left.node], new SubscriptionSendProcessor({ foreignKeyExtractor: extractor, keySerde, valueSerde, otherKeySerde, leftJoin: spec.leftJoin }));
  const registrationTopic = `${topicBase('subscription-registration', 'KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-')}-topic`;
  const registration = internalTopic(registrationTopic, sendNode);

  const subscriptionStore = indexedStore('subscription-store', 'KTABLE-FK-JOIN-SUBSCRIPTION-');
  const receiveNode = processor(
    name('subscription-receive', 'KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-'),
    [registration],
    new SubscriptionReceiveProcessor({ storeName: subscriptionStore.name, other: right.valueGetterSupplier, otherKeySerde, otherValueSerde }),
    { storeBuilders: [subscriptionStore as StoreBuilder<unknown>], connectedStores: right.valueGetterSupplier.storeNames() },
  );
  const foreignNode = processor(
    name('foreign-join-subscription', 'KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-'),
    [right.node],
    new ForeignTableJoinProcessor({ storeName: subscriptionStore.name, otherKeySerde, otherValueSerde }),
    { connectedStores: [subscriptionStore.name] },
  );
  const responses = processor(name('subscription-response-merge', 'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-MERGE-'), [receiveNode, foreignNode], new KStreamPassThrough());
  const responseTopic = `${topicBase('subscription-response', 'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-')}-topic`;
  const response = internalTopic(responseTopic, responses);

  const materialized = materializedStoreBuilder(builder, o.materialized, { prefix: 'KTABLE-FK-JOIN-OUTPUT-', keySerde });
  const resolverNode = processor(
    name('subscription-response-resolver', 'KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-'),
    [response],
    new ResponseResolverProcessor({
      left: left.valueGetterSupplier,
      keySerde,
      valueSerde,
      otherValueSerde,
      joiner,
      leftJoin: spec.leftJoin,
      storeName: materialized?.name,
    }),
    { storeBuilders: materialized === undefined ? [] : [materialized as StoreBuilder<unknown>], connectedStores: left.valueGetterSupplier.storeNames() },
  );
  return new KTableImpl({
    builder,
    node: resolverNode,
    serdes: { keySerde, valueSerde: o.materialized?.valueSerde },
    valueGetterSupplier: materialized === undefined ? unreadable<K, VR>(resolverNode.name) : storeValueGetterSupplier(materialized.name),
    queryableStoreName: materialized?.name,
  });

  function processor(
    nodeName: string,
    parents: readonly GraphNode[],
    supplier: ProcessorSupplier<never, never, unknown, unknown>,
    stores: { storeBuilders?: StoreBuilder<unknown>[]; connectedStores?: readonly string[] } = {},
  ): GraphNode {
    return builder.addNode(new ProcessorGraphNode(nodeName, parents, { supplier: supplier as ProcessorSupplier<never, never>, ...stores }));
  }

  function internalTopic(topic: string, parent: GraphNode): GraphNode {
    return builder.addNode(
      new RepartitionNode(parent, {
        topic,
        sinkName: names.claim(`${topic}-sink`),
        sourceName: names.claim(`${topic}-source`),
        nullKeyFilterName: undefined,
        keySerde: bytes,
        valueSerde: bytes,
        partitions: undefined,
        partitioner: undefined,
      }),
    );
  }
}

/** The value getter of a result that is not materialized: a join or lookup on it needs materialization. */
function unreadable<K, VR>(nodeName: string): KTableValueGetterSupplier<K, VR> {
  const fail = (): never => {
    throw new TypeError(`the foreign-key join ${nodeName} is not materialized: pass materialized { valueSerde } to read its values`);
  };
  return { storeNames: fail, get: fail };
}
