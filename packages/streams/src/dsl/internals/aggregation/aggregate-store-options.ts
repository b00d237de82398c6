import type { Serde } from '../../../serde/types.js';
import type { Materialized } from '../../options.js';
import type { InternalStreamsBuilder } from '../internal-streams-builder.js';

/** @internal An aggregation's store settings with defaults applied and serdes checked. */
export interface AggregateStoreOptions<TKey, TValue> {
  name: string;
  keySerde: Serde<TKey>;
  valueSerde: Serde<TValue>;
  persistent?: boolean;
  logging?: boolean;
}

/**
 * @internal Resolves `materialized` for an aggregation: the store name (given, or generated as
 * `<prefix>STATE-STORE-<n>`; drawn before the processor name, as Kafka does), and the serdes
 * (given, else the defaults; a TypeError naming the operator when neither is known).
 */
export function aggregateStoreOptions<TKey, TValue>(
  builder: InternalStreamsBuilder,
  prefix: string,
  spec: { operator: string; materialized: Materialized<TKey, TValue> | undefined; keySerde: Serde<TKey> | undefined; valueSerde: Serde<TValue> | undefined },
): AggregateStoreOptions<TKey, TValue> {
  const materialized = spec.materialized ?? {};
  const keySerde = materialized.keySerde ?? spec.keySerde;
  const valueSerde = materialized.valueSerde ?? spec.valueSerde;
  if (keySerde === undefined) throw new TypeError(`${spec.operator}: the key type changed upstream, so pass materialized.keySerde (or Grouped.keySerde)`);
  if (valueSerde === undefined) throw new TypeError(`${spec.operator}: pass materialized.valueSerde for the aggregate's type`);
  return {
    name: materialized.storeName ?? builder.names.newStoreName(prefix),
    keySerde,
    valueSerde,
    ...(materialized.persistent === undefined ? {} : { persistent: materialized.persistent }),
    ...(materialized.logging === undefined ? {} : { logging: materialized.logging }),
  };
}
