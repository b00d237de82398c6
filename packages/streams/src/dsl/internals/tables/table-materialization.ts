import type { StoreBuilder } from '../../../state/builders/store-builder.js';
import { timestampedKeyValueStoreBuilder } from '../../../state/builders/key-value-store-builder.js';
import type { TimestampedKeyValueStore } from '../../../state/typed/typed-key-value-store.js';
import type { Serde } from '../../../serde/types.js';
import type { Materialized } from '../../options.js';
import type { InternalStreamsBuilder } from '../internal-streams-builder.js';

/**
 * The timestamped store builder of a materialized KTable operator or join result, or undefined
 * when `materialized` is not given. The store is named `materialized.storeName` or
 * `<prefix>STATE-STORE-<n>`; serdes not given in `materialized` come from `defaults`.
 */
export function materializedStoreBuilder<TKey, TValue>(
  builder: InternalStreamsBuilder,
  materialized: Materialized<TKey, TValue> | undefined,
  defaults: { prefix: string; keySerde: Serde<TKey> | undefined; valueSerde?: Serde<TValue> | undefined },
): StoreBuilder<TimestampedKeyValueStore<TKey, TValue>> | undefined {
  if (materialized === undefined) return undefined;
  const name = materialized.storeName ?? builder.names.newStoreName(defaults.prefix);
  const keySerde = materialized.keySerde ?? defaults.keySerde;
  const valueSerde = materialized.valueSerde ?? defaults.valueSerde;
  if (keySerde === undefined || valueSerde === undefined) throw new TypeError(`materializing ${name} needs a keySerde and a valueSerde`);
  return timestampedKeyValueStoreBuilder({
    name,
    keySerde,
    valueSerde,
    ...(materialized.persistent === undefined ? {} : { persistent: materialized.persistent }),
    ...(materialized.logging === undefined ? {} : { logging: materialized.logging }),
  });
}
