import type { ProcessorSupplier } from '../processor/processor.js';
import type { StoreBuilder } from '../state/builders/store-builder.js';
import { timestampedKeyValueStoreBuilder } from '../state/builders/key-value-store-builder.js';
import type { Topology } from '../processor/topology.js';
import type { Serde } from '../serde/types.js';
import { ProcessorGraphNode } from './internals/graph/processor-graph-node.js';
import { StateStoreNode } from './internals/graph/state-store-node.js';
import { StreamSourceNode } from './internals/graph/stream-source-node.js';
import { InternalStreamsBuilder } from './internals/internal-streams-builder.js';
import { KStreamImpl } from './internals/k-stream-impl.js';
import { KTableImpl } from './internals/k-table-impl.js';
import { KTableSource } from './internals/tables/k-table-source.js';
import { addGlobalTable } from './internals/global-k-table-impl.js';
import type { GlobalKTable } from './global-k-table.js';
import type { KStream } from './k-stream.js';
import type { KTable } from './k-table.js';
import type { Consumed, TableConsumed } from './options.js';

/**
 * The entry point of the DSL. `stream`/`table` declare inputs, operators declare the rest, and
 * `build()` turns the declared graph into a Topology (each call builds a fresh one).
 */
export class StreamsBuilder {
  readonly #internal = new InternalStreamsBuilder();

  /** A stream of the records of one or more topics, typed by the serdes. */
  stream<TKey, TValue>(topics: string | readonly string[], consumed: Consumed<TKey, TValue>): KStream<TKey, TValue> {
    const list = typeof topics === 'string' ? [topics] : [...topics];
    if (list.length === 0 || list.some((t) => typeof t !== 'string' || t.length === 0)) {
      throw new TypeError('stream() needs one or more non-empty topic names');
    }
    assertConsumed(consumed);
    const name = this.#internal.names.orGenerate(consumed.named, 'KSTREAM-SOURCE-');
    const node = this.#internal.addNode(new StreamSourceNode(name, sourceSpec(list, consumed)));
    return new KStreamImpl({
      builder: this.#internal,
      node,
      serdes: { keySerde: consumed.keySerde, valueSerde: consumed.valueSerde },
      repartitionRequired: false,
    });
  }

  /**
   * A table of the latest value per key of a topic (null values delete). Always materialized, in
   * `materialized.storeName` or `<topic>-STATE-STORE-<n>`, changelogged unless `logging: false`.
   */
  table<TKey, TValue>(topic: string, consumed: TableConsumed<TKey, TValue>): KTable<TKey, TValue> {
    if (typeof topic !== 'string' || topic.length === 0) throw new TypeError('table() needs a topic name');
    assertConsumed(consumed);
    const names = this.#internal.names;
    const materialized = consumed.materialized ?? {};
    const storeName = materialized.storeName ?? names.newStoreName(`${topic}-`);
    const sourceName = names.orGenerate(consumed.named, 'KSTREAM-SOURCE-');
    const tableSourceName = consumed.named === undefined ? names.newProcessorName('KTABLE-SOURCE-') : names.claim(`${consumed.named}-table-source`);
    const sourceNode = this.#internal.addNode(new StreamSourceNode(sourceName, sourceSpec([topic], consumed)));
    const supplier = new KTableSource<TKey, TValue>(storeName);
    const storeBuilder = timestampedKeyValueStoreBuilder({
      name: storeName,
      keySerde: consumed.keySerde,
      valueSerde: consumed.valueSerde,
      ...(materialized.persistent === undefined ? {} : { persistent: materialized.persistent }),
      ...(materialized.logging === undefined ? {} : { logging: materialized.logging }),
    });
    const node = this.#internal.addNode(
      new ProcessorGraphNode(tableSourceName, [sourceNode], {
        supplier: supplier as ProcessorSupplier<never, never>,
        storeBuilders: [storeBuilder as StoreBuilder<unknown>],
      }),
    );
    return new KTableImpl({
      builder: this.#internal,
      node,
      serdes: { keySerde: consumed.keySerde, valueSerde: consumed.valueSerde },
      valueGetterSupplier: supplier.valueGetterSupplier(),
      queryableStoreName: storeName,
    });
  }

  /**
   * A table replicated in full to every task, read from all partitions of `topic` (null values
   * delete). Its store, `materialized.storeName` or `<topic>-STATE-STORE-<n>`, is in memory and
   * rebuilt from the topic before processing starts; streams join it with `join(globalTable, ...)`.
   */
  globalTable<TKey, TValue>(topic: string, consumed: TableConsumed<TKey, TValue>): GlobalKTable<TKey, TValue> {
    if (typeof topic !== 'string' || topic.length === 0) throw new TypeError('globalTable() needs a topic name');
    assertConsumed(consumed);
    return addGlobalTable(this.#internal, topic, consumed);
  }

  /** Adds a store that `process`/`processValues` can connect to with `{ stores: [name] }`. */
  addStateStore(builder: StoreBuilder<unknown>): this {
    this.#internal.addNode(new StateStoreNode(builder));
    return this;
  }

  /** A Topology of everything declared so far. */
  build(): Topology {
    return this.#internal.build();
  }
}

function assertConsumed(consumed: { keySerde?: unknown; valueSerde?: unknown } | undefined): void {
  const ok = (s: unknown): boolean => typeof (s as Serde<unknown> | undefined)?.serialize === 'function' && typeof (s as Serde<unknown>).deserialize === 'function';
  if (consumed === undefined || !ok(consumed.keySerde) || !ok(consumed.valueSerde)) {
    throw new TypeError('a source needs { keySerde, valueSerde }');
  }
}

function sourceSpec<TKey, TValue>(topics: readonly string[], consumed: Consumed<TKey, TValue>) {
  return {
    topics,
    keySerde: consumed.keySerde as Serde<unknown>,
    valueSerde: consumed.valueSerde as Serde<unknown>,
    timestampExtractor: consumed.timestampExtractor,
  };
}
