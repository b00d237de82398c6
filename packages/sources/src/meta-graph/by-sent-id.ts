/**
 * The step the Meta routers share for events that name a message by Meta's id (an Instagram echo
 * or seen mark, a Messenger, Instagram or WhatsApp reaction): re-key the item by that id, join it
 * (in timestamp order) with the provider's table of ids its connector sent (mid or wamid → what
 * Parley sent under it), let the provider decide what the item becomes (null: nothing), and key
 * the result by channel id again for the channel join.
 */
import type { KStream, KTable, Serde } from '@parley/streams';

export interface BySentIdNames {
  /** The repartition by Meta's id. */
  repartition: string;
  /** The stream–table join. */
  join: string;
}

/** `resolve` answers an item of the same type (null: nothing), whose channel id `channelOf` gives. */
export function joinBySentId<TItem, TSent>(
  items: KStream<string, TItem>,
  ids: { sentIdOf: (item: TItem) => string; channelOf: (item: TItem) => string },
  sent: KTable<string, TSent>,
  resolve: (item: TItem, sent: TSent | null) => TItem | null,
  names: BySentIdNames,
  serdes: { key: Serde<string>; item: Serde<TItem> },
): KStream<string, TItem> {
  return items
    .selectKey((_k, v) => ids.sentIdOf(v))
    .repartition({ name: names.repartition, keySerde: serdes.key, valueSerde: serdes.item })
    .leftJoin(sent, (item, sentAs) => resolve(item, sentAs), { named: names.join })
    .filter((_k, v) => v !== null)
    .map((_k, v): [string, TItem] => [ids.channelOf(v!), v!]);
}
