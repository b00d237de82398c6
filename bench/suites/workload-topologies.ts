import { Serdes, StreamsBuilder, type Topology } from '@parley/streams';

/**
 * The workloads of the streams benchmarks, on the embedded log (streams-embedded.ts) and on
 * Kafka (kafka.ts); the same operators as the Java reference program (bench/kafka-streams-reference/).
 */
const str = Serdes.string();

/** filter (drop values starting with "drop") + mapValues (value length) + to. */
export function statelessTopology(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(input, { keySerde: str, valueSerde: str })
    .filter((_k, v) => !v.startsWith('drop'))
    .mapValues((v) => v.length)
    .to(output, { keySerde: str, valueSerde: Serdes.int32() });
  return builder.build();
}

/**
 * Count by key with the DSL (`groupByKey().count()`, the Java reference's operators): a
 * timestamped LevelDB store behind the record cache, changelogged; every new count is written.
 */
export function countTopology(input: string, output: string): Topology {
  const builder = new StreamsBuilder();
  builder
    .stream(input, { keySerde: str, valueSerde: str })
    .groupByKey()
    .count({ materialized: { storeName: 'counts' } })
    .toStream()
    .to(output, { keySerde: str, valueSerde: Serdes.long() });
  return builder.build();
}

/**
 * Stream–table inner join with the DSL (`KStream.join(KTable)`): the table topic is materialized
 * in a LevelDB store (changelogged, cached); each stream record with a row for its key becomes
 * `<stream value>|<table value>`. Both topics have one partition, so they meet in one task, where
 * records are taken in timestamp order: the table (timestamp 0) is loaded before the stream.
 */
export function joinTopology(stream: string, table: string, output: string): Topology {
  const builder = new StreamsBuilder();
  const rows = builder.table(table, { keySerde: str, valueSerde: str });
  builder
    .stream(stream, { keySerde: str, valueSerde: str })
    .join(rows, (value: string, row: string) => `${value}|${row}`)
    .to(output, { keySerde: str, valueSerde: str });
  return builder.build();
}
