/**
 * A topology module for `parley run`: it default-exports a topology definition, the same shape the
 * platform's own topologies have. It counts greetings per sender: records on `greetings` (key:
 * who, value: the text) are counted by key in a changelogged store, and every new count is
 * written to `greeting-counts` as text (`parley topics tail` shows "2" as the JSON number 2).
 */
import { Serdes, StreamsBuilder } from '@parley/streams';
import type { TopologyDefinition } from '@parley/runtime';

const str = Serdes.string();

export const GREETINGS_TOPIC = 'greetings';
export const COUNTS_TOPIC = 'greeting-counts';

const greetingCounter: TopologyDefinition = {
  name: 'greeting-counter',
  applicationId: 'example.greeting-counter',
  // Created (when missing) before the application starts.
  topics: [
    { name: GREETINGS_TOPIC, partitions: 2 },
    { name: COUNTS_TOPIC, partitions: 2 },
  ],
  build() {
    const builder = new StreamsBuilder();
    builder
      .stream(GREETINGS_TOPIC, { keySerde: str, valueSerde: str })
      .groupByKey()
      .count({ materialized: { storeName: 'greeting-counts-store' } })
      .toStream()
      .mapValues((count) => String(count))
      .to(COUNTS_TOPIC, { keySerde: str, valueSerde: str });
    return builder.build();
  },
};

export default greetingCounter;
