package dev.parley.bench;

import java.util.HashMap;
import java.util.Map;

/** The command line: `--name value` pairs, all required except the ones with a default. */
record Options(
    String brokers,
    String workload,
    String input,
    String output,
    long records,
    String applicationId,
    long commitIntervalMs,
    long timeoutMs) {

  static final String USAGE =
      "usage: --brokers host:port --workload stateless|count --input TOPIC --output TOPIC"
          + " --records N --application-id ID [--commit-interval-ms 1000] [--timeout-ms 600000]";

  static Options parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException(USAGE);
      values.put(args[i].substring(2), args[i + 1]);
    }
    String workload = required(values, "workload");
    if (!workload.equals("stateless") && !workload.equals("count")) {
      throw new IllegalArgumentException("--workload must be stateless or count, got " + workload);
    }
    long records = Long.parseLong(required(values, "records"));
    if (records < 1) throw new IllegalArgumentException("--records must be at least 1");
    return new Options(
        required(values, "brokers"),
        workload,
        required(values, "input"),
        required(values, "output"),
        records,
        required(values, "application-id"),
        Long.parseLong(values.getOrDefault("commit-interval-ms", "1000")),
        Long.parseLong(values.getOrDefault("timeout-ms", "600000")));
  }

  private static String required(Map<String, String> values, String name) {
    String value = values.get(name);
    if (value == null || value.isEmpty()) throw new IllegalArgumentException("missing --" + name + "\n" + USAGE);
    return value;
  }
}
