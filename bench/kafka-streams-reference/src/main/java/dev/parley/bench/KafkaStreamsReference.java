package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Runs one workload (`--workload stateless|count`) with Apache Kafka Streams over an input topic
 * that holds exactly `--records` records from offset 0, and prints one JSON line
 * `{"records":N,"seconds":S}`: the time from `KafkaStreams.start()` until all N records were
 * processed and their offsets committed (so their outputs were flushed). At-least-once, one
 * stream thread, default caching; commit.interval.ms 1000 like the Node side. Exit code 1 and a
 * message on stderr when the run fails or times out.
 */
public final class KafkaStreamsReference {
  private KafkaStreamsReference() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Path stateDir = Files.createTempDirectory("parley-bench-kafka-streams-");
    int status = 0;
    try {
      double seconds = run(options, stateDir);
      System.out.printf(Locale.ROOT, "{\"records\":%d,\"seconds\":%.6f}%n", options.records(), seconds);
    } catch (Exception e) {
      System.err.println("kafka-streams-reference: " + e);
      status = 1;
    } finally {
      deleteTree(stateDir);
    }
    // Kafka Streams leaves non-daemon threads behind on failure; exit explicitly either way.
    System.exit(status);
  }

  private static double run(Options options, Path stateDir) throws Exception {
    ProgressCounter<String, String> counter = new ProgressCounter<>(options.records());
    Topology topology = Workloads.build(options, counter);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (Admin admin = Admin.create(adminConfig(options));
        KafkaStreams streams = new KafkaStreams(topology, streamsConfig(options, stateDir))) {
      streams.setUncaughtExceptionHandler(
          e -> {
            failure.compareAndSet(null, e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
          });
      long deadline = System.currentTimeMillis() + options.timeoutMs();
      long start = System.nanoTime();
      streams.start();
      while (!counter.await(50)) {
        failIf(failure.get(), streams, counter, deadline);
      }
      // The counter asked for a commit when it saw record N; wait for it to land.
      while (committed(admin, options) < options.records()) {
        failIf(failure.get(), streams, counter, deadline);
        Thread.sleep(5);
      }
      return (System.nanoTime() - start) / 1e9; // then try-with-resources closes Kafka Streams
    }
  }

  private static void failIf(Throwable failure, KafkaStreams streams, ProgressCounter<?, ?> counter, long deadline) {
    if (failure != null) throw new IllegalStateException("the stream thread failed", failure);
    KafkaStreams.State state = streams.state();
    if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
      throw new IllegalStateException("Kafka Streams stopped (" + state + ") after " + counter.seen() + " records");
    }
    if (System.currentTimeMillis() > deadline) {
      throw new IllegalStateException("timed out after " + counter.seen() + " records");
    }
  }

  /** Sum of the group's committed offsets on the input topic (it starts at offset 0). */
  private static long committed(Admin admin, Options options) throws Exception {
    return admin.listConsumerGroupOffsets(options.applicationId()).partitionsToOffsetAndMetadata().get().entrySet().stream()
        .filter(e -> e.getKey().topic().equals(options.input()) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  private static Properties streamsConfig(Options options, Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, options.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, options.brokers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, options.commitIntervalMs());
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    return props;
  }

  private static Properties adminConfig(Options options) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.brokers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, options.applicationId() + "-progress");
    return props;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    }
  }
}
