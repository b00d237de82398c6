package dev.parley.bench;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/** The two workloads, the same operators as bench/suites/kafka-topologies.ts on the Node side. */
final class Workloads {
  private static final Serde<String> STRING = Serdes.String();

  private Workloads() {}

  static Topology build(Options options, ProgressCounter<String, String> counter) {
    StreamsBuilder builder = new StreamsBuilder();
    KStream<String, String> input =
        builder.stream(options.input(), Consumed.with(STRING, STRING)).processValues(counter);
    if (options.workload().equals("stateless")) {
      // Drops the tenth of the values that start with "drop", writes the length of the others.
      input
          .filter((key, value) -> !value.startsWith("drop"))
          .mapValues(String::length)
          .to(options.output(), Produced.with(STRING, Serdes.Integer()));
    } else {
      // The default store (RocksDB) behind the default record cache (10 MiB).
      input
          .groupByKey()
          .count(Materialized.as("counts"))
          .toStream()
          .to(options.output(), Produced.with(STRING, Serdes.Long()));
    }
    return builder.build();
  }
}
