import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The Kafka Streams side of Parley's differential suite (packages/streams/test/differential).
 * Reads one case a line on stdin: {"id", "topology", "params", "records": [{topic, key, value, ts}]};
 * writes one line per case: {"id", "outputs": [{after, topic, key, value, ts}]} or {"id", "error"}.
 * `after` is the index of the input record whose processing produced the output. Each case runs
 * in a fresh TopologyTestDriver with caching off; topology ids and their shapes mirror
 * packages/streams/test/differential/topologies.ts one for one.
 */
public final class DifferentialRunner {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Consumed<String, String> STR = Consumed.with(Serdes.String(), Serdes.String());
  private static final Produced<String, String> OUT = Produced.with(Serdes.String(), Serdes.String());
  private static final String STATE_DIR = System.getProperty("differential.stateDir");
  static final String[] OUTPUT_TOPICS = {"out", "out-a", "out-b", "out-c"};

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) continue;
      JsonNode c = JSON.readTree(line);
      ObjectNode result = JSON.createObjectNode();
      result.set("id", c.get("id"));
      try {
        result.set("outputs", run(c));
      } catch (Exception e) {
        result.put("error", e.toString());
      }
      out.println(JSON.writeValueAsString(result));
      out.flush();
    }
  }

  private static ArrayNode run(JsonNode c) {
    Topology topology = build(c.get("topology").asText(), c.get("params"));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "diff");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    // Default (RocksDB) stores, as a Kafka Streams application has them; their directory on
    // tmpfs when the runner is given one, since the driver flushes and checkpoints per record.
    if (STATE_DIR != null) props.put(StreamsConfig.STATE_DIR_CONFIG, STATE_DIR);
    // Kafka throttles two emission passes by wall-clock time, which the driver's clock never
    // advances: unmatched left/outer stream-stream join results (once a second,
    // InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_OUTER_JOIN_SPURIOUS_RESULTS_FIX) and onWindowClose
    // results (InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION). At 0 every record
    // may emit, which is when Parley emits.
    props.put("__emit.interval.ms.kstreams.outer.join.spurious.results.fix__", 0L);
    props.put("__emit.interval.ms.kstreams.windowed.aggregation__", 0L);
    ArrayNode outputs = JSON.createArrayNode();
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, Instant.EPOCH)) {
      TreeMap<String, TestInputTopic<String, String>> inputs = new TreeMap<>();
      TreeMap<String, TestOutputTopic<String, String>> outs = new TreeMap<>();
      String description = topology.describe().toString();
      for (String name : OUTPUT_TOPICS) {
        if (description.contains("(topic: " + name + ")")) {
          outs.put(name, driver.createOutputTopic(name, new StringDeserializer(), new StringDeserializer()));
        }
      }
      int index = 0;
      for (JsonNode r : c.get("records")) {
        String topic = r.get("topic").asText();
        TestInputTopic<String, String> input = inputs.computeIfAbsent(topic,
            t -> driver.createInputTopic(t, new StringSerializer(), new StringSerializer()));
        String key = r.get("key").isNull() ? null : r.get("key").asText();
        String value = r.get("value").isNull() ? null : r.get("value").asText();
        input.pipeInput(key, value, r.get("ts").asLong());
        for (var o : outs.entrySet()) {
          for (org.apache.kafka.streams.test.TestRecord<String, String> rec : o.getValue().readRecordsToList()) {
            ObjectNode n = outputs.addObject();
            n.put("after", index);
            n.put("topic", o.getKey());
            n.put("key", rec.key());
            n.put("value", rec.value());
            n.put("ts", rec.timestamp());
          }
        }
        index++;
      }
    }
    return outputs;
  }

  /** The number in a value "<side><n>:<fk>". */
  static long num(String v) {
    int colon = v.indexOf(':');
    return Long.parseLong(v.substring(1, colon < 0 ? v.length() : colon));
  }

  /** The foreign key in a value "<side><n>:<fk>", or null. */
  static String fk(String v) {
    int colon = v.indexOf(':');
    return colon < 0 ? null : v.substring(colon + 1);
  }

  static String win(Windowed<String> w) {
    return w.key() + "@" + w.window().start() + "-" + w.window().end();
  }

  static String str(Object o) {
    return o == null ? null : o.toString();
  }

  static long p(JsonNode params, String name, long fallback) {
    return params != null && params.has(name) ? params.get(name).asLong() : fallback;
  }

  private static Topology build(String id, JsonNode params) {
    StreamsBuilder b = new StreamsBuilder();
    long window = p(params, "window", 10);
    long grace = p(params, "grace", 5);
    long advance = p(params, "advance", 5);
    switch (id) {
      case "stateless": {
        b.stream("left", STR)
            .filter((k, v) -> v == null || num(v) % 3 != 0)
            .mapValues(v -> v == null ? "nil" : v + "!")
            .flatMapValues(v -> List.of(v, v + "2"))
            .filterNot((k, v) -> k.equals("E") && v.endsWith("2"))
            .to("out", OUT);
        break;
      }
      case "split": {
        b.stream("left", STR).split()
            .branch((k, v) -> v != null && num(v) % 2 == 0, Branched.withConsumer(s -> s.to("out-a", OUT)))
            .branch((k, v) -> v != null && num(v) % 3 == 0, Branched.withConsumer(s -> s.to("out-b", OUT)))
            .defaultBranch(Branched.withConsumer(s -> s.to("out-c", OUT)));
        break;
      }
      case "selectkey-count": {
        b.stream("left", STR)
            .selectKey((k, v) -> v == null ? k : String.valueOf((char) ('A' + num(v) % 3)))
            .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
            .count()
            .toStream().mapValues(DifferentialRunner::str).to("out", OUT);
        break;
      }
      case "grouped-reduce": {
        b.stream("left", STR).groupByKey().reduce((a, v) -> a + "+" + v).toStream().to("out", OUT);
        break;
      }
      case "grouped-aggregate": {
        b.stream("left", STR)
            .groupBy((k, v) -> v == null ? k : String.valueOf((char) ('A' + num(v) % 2)), Grouped.with(Serdes.String(), Serdes.String()))
            .aggregate(() -> "", (k, v, agg) -> agg + "/" + k + v, Materialized.with(Serdes.String(), Serdes.String()))
            .toStream().to("out", OUT);
        break;
      }
      case "tumbling-count":
      case "tumbling-count-close":
      case "hopping-aggregate": {
        TimeWindows windows = TimeWindows.ofSizeAndGrace(Duration.ofMillis(window), Duration.ofMillis(grace));
        if (id.equals("hopping-aggregate")) windows = windows.advanceBy(Duration.ofMillis(advance));
        var windowed = b.stream("left", STR).groupByKey().windowedBy(windows);
        if (id.endsWith("-close")) windowed = windowed.emitStrategy(EmitStrategy.onWindowClose());
        // onWindowClose: a retention beyond size + grace, so that Kafka does not lose the final
        // results of windows a jump in stream time moves out of retention before its emit pass
        // (a deliberate difference of Parley's, packages/streams/README.md).
        KTable<Windowed<String>, String> t = id.equals("hopping-aggregate")
            ? windowed.aggregate(() -> "", (k, v, agg) -> agg + "/" + v, Materialized.with(Serdes.String(), Serdes.String()))
            : id.endsWith("-close")
            ? windowed.count(Materialized.<String, Long, org.apache.kafka.streams.state.WindowStore<org.apache.kafka.common.utils.Bytes, byte[]>>with(Serdes.String(), Serdes.Long())
                .withRetention(Duration.ofDays(1))).mapValues(DifferentialRunner::str)
            : windowed.count().mapValues(DifferentialRunner::str);
        t.toStream().map((w, v) -> KeyValue.pair(win(w), v)).to("out", OUT);
        break;
      }
      case "sliding-count":
      case "sliding-count-close": {
        var windowed = b.stream("left", STR).groupByKey()
            .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(window), Duration.ofMillis(grace)));
        if (id.endsWith("-close")) windowed = windowed.emitStrategy(EmitStrategy.onWindowClose());
        windowed.count().toStream().map((w, v) -> KeyValue.pair(win(w), str(v))).to("out", OUT);
        break;
      }
      case "session-count":
      case "session-count-close": {
        var windowed = b.stream("left", STR).groupByKey()
            .windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofMillis(window), Duration.ofMillis(grace)));
        if (id.endsWith("-close")) windowed = windowed.emitStrategy(EmitStrategy.onWindowClose());
        windowed.count().toStream().map((w, v) -> KeyValue.pair(win(w), str(v))).to("out", OUT);
        break;
      }
      case "table-groupby": {
        KTable<String, String> table = b.table("left", STR);
        var grouped = table.groupBy((k, v) -> KeyValue.pair(String.valueOf((char) ('A' + num(v) % 2)), v),
            Grouped.with(Serdes.String(), Serdes.String()));
        grouped.aggregate(() -> "0",
                (k, v, agg) -> String.valueOf(Long.parseLong(agg) + num(v)),
                (k, v, agg) -> String.valueOf(Long.parseLong(agg) - num(v)),
                Materialized.with(Serdes.String(), Serdes.String()))
            .toStream().to("out-a", OUT);
        grouped.count().toStream().mapValues(DifferentialRunner::str).to("out-b", OUT);
        break;
      }
      case "stream-table-inner":
      case "stream-table-left": {
        KStream<String, String> s = b.stream("left", STR);
        KTable<String, String> t = b.table("right", STR);
        (id.endsWith("inner") ? s.join(t, (l, r) -> l + "|" + r) : s.leftJoin(t, (l, r) -> l + "|" + r)).to("out", OUT);
        break;
      }
      case "stream-global-inner":
      case "stream-global-left": {
        KStream<String, String> s = b.stream("left", STR);
        GlobalKTable<String, String> g = b.globalTable("right", STR);
        (id.endsWith("inner")
            ? s.join(g, (k, v) -> v == null ? null : fk(v), (l, r) -> l + "|" + r)
            : s.leftJoin(g, (k, v) -> v == null ? null : fk(v), (l, r) -> l + "|" + r)).to("out", OUT);
        break;
      }
      case "table-table-inner":
      case "table-table-left":
      case "table-table-outer": {
        KTable<String, String> l = b.table("left", STR);
        KTable<String, String> r = b.table("right", STR);
        KTable<String, String> j = id.endsWith("inner") ? l.join(r, (a, c) -> a + "|" + c)
            : id.endsWith("left") ? l.leftJoin(r, (a, c) -> a + "|" + c)
            : l.outerJoin(r, (a, c) -> a + "|" + c);
        j.toStream().to("out", OUT);
        break;
      }
      case "stream-stream-inner":
      case "stream-stream-left":
      case "stream-stream-outer": {
        KStream<String, String> l = b.stream("left", STR);
        KStream<String, String> r = b.stream("right", STR);
        JoinWindows w = JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(window), Duration.ofMillis(grace));
        StreamJoined<String, String, String> sj = StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String());
        (id.endsWith("inner") ? l.join(r, (a, c) -> a + "|" + c, w, sj)
            : id.endsWith("left") ? l.leftJoin(r, (a, c) -> a + "|" + c, w, sj)
            : l.outerJoin(r, (a, c) -> a + "|" + c, w, sj)).to("out", OUT);
        break;
      }
      case "fk-inner":
      case "fk-left": {
        KTable<String, String> l = b.table("left", STR);
        KTable<String, String> r = b.table("right", STR);
        (id.endsWith("inner")
            ? l.join(r, DifferentialRunner::fk, (a, c) -> a + "|" + c)
            : l.leftJoin(r, DifferentialRunner::fk, (a, c) -> a + "|" + c)).toStream().to("out", OUT);
        break;
      }
      case "punctuate": {
        b.stream("left", STR).process(() -> new Processor<String, String, String, String>() {
          private ProcessorContext<String, String> context;
          private long seen;

          @Override
          public void init(ProcessorContext<String, String> context) {
            this.context = context;
            context.schedule(Duration.ofMillis(window), PunctuationType.STREAM_TIME,
                ts -> context.forward(new Record<>("P", "seen=" + seen, ts)));
          }

          @Override
          public void process(Record<String, String> record) {
            seen++;
            context.forward(record.withValue(record.value() == null ? "nil" : record.value() + "#" + seen));
          }
        }).to("out", OUT);
        break;
      }
      default:
        throw new IllegalArgumentException("unknown topology " + id);
    }
    return b.build();
  }
}
