import type { ProcessorSupplier } from '../../processor/processor.js';
import type { StoreBuilder } from '../../state/builders/store-builder.js';
import { timestampedKeyValueStoreBuilder } from '../../state/builders/key-value-store-builder.js';
import type { Serde } from '../../serde/types.js';
import type { GlobalKTable } from '../global-k-table.js';
import type { TableConsumed } from '../options.js';
import { GlobalStoreNode } from './graph/global-store-node.js';
import type { InternalStreamsBuilder } from './internal-streams-builder.js';
import { KTableSource } from './tables/k-table-source.js';

/** @internal The one GlobalKTable implementation: the name of its global store and its serdes. */
export class GlobalKTableImpl<TKey, TValue> implements GlobalKTable<TKey, TValue> {
  readonly builder: InternalStreamsBuilder;
  readonly queryableStoreName: string;
  readonly keySerde: Serde<TKey>;
  readonly valueSerde: Serde<TValue>;

  constructor(options: { builder: InternalStreamsBuilder; storeName: string; keySerde: Serde<TKey>; valueSerde: Serde<TValue> }) {
    this.builder = options.builder;
    this.queryableStoreName = options.storeName;
    this.keySerde = options.keySerde;
    this.valueSerde = options.valueSerde;
  }
}

/**
 * Declares a global table (`StreamsBuilder.globalTable`): a global store named
 * `materialized.storeName` or `<topic>-STATE-STORE-<n>`, written by a table source processor.
 * Global stores live in memory and are rebuilt from their topic on every start (the topic is their
 * changelog), so `persistent` and `logging` do not apply.
 */
export function addGlobalTable<TKey, TValue>(
  builder: InternalStreamsBuilder,
  topic: string,
  consumed: TableConsumed<TKey, TValue>,
): GlobalKTableImpl<TKey, TValue> {
  const names = builder.names;
  const storeName = consumed.materialized?.storeName ?? names.newStoreName(`${topic}-`);
  const sourceName = names.orGenerate(consumed.named, 'KSTREAM-SOURCE-');
  const processorName = consumed.named === undefined ? names.newProcessorName('KTABLE-SOURCE-') : names.claim(`${consumed.named}-table-source`);
  const storeBuilder = timestampedKeyValueStoreBuilder({
    name: storeName,
    keySerde: consumed.keySerde,
    valueSerde: consumed.valueSerde,
    persistent: false,
    logging: false,
  });
  builder.addNode(
    new GlobalStoreNode({
      storeBuilder: storeBuilder as StoreBuilder<unknown>,
      sourceName,
      topic,
      keySerde: consumed.keySerde as Serde<unknown>,
      valueSerde: consumed.valueSerde as Serde<unknown>,
      ...(consumed.timestampExtractor === undefined ? {} : { timestampExtractor: consumed.timestampExtractor }),
      processorName,
      processorSupplier: new KTableSource<TKey, TValue>(storeName) as ProcessorSupplier<unknown, unknown>,
    }),
  );
  return new GlobalKTableImpl({ builder, storeName, keySerde: consumed.keySerde, valueSerde: consumed.valueSerde });
}
