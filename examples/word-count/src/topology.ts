import { Serdes, StreamsBuilder, type KTable, type Topology } from '@parley/streams';

/** Topic names and the store name; each can be overridden (tests, several instances side by side). */
export interface WordCountOptions {
  /** Sentences, as string values (keys are ignored). Default 'sentences'. */
  inputTopic?: string;
  /** Word → count (string key, 8-byte long value: `Serdes.long()`). Default 'word-counts'. */
  outputTopic?: string;
  /** The count store; also names `<applicationId>-<store>-changelog` and `-repartition`. Default 'word-counts-store'. */
  storeName?: string;
}

export const DEFAULTS = { inputTopic: 'sentences', outputTopic: 'word-counts', storeName: 'word-counts-store' } as const;

const str = Serdes.string();

/** Lower-cased words of a sentence, split on anything that is not a letter, digit or underscore. */
export function words(sentence: string): string[] {
  return sentence.toLowerCase().split(/\W+/).filter((word) => word.length > 0);
}

/**
 * Declares Kafka's WordCountDemo on `builder`: sentences are split into words
 * (flatMapValues), grouped by word (which repartitions them through
 * `<applicationId>-<store>-repartition`, so each word is counted by one task), counted into a
 * changelogged store, and every new count is written to the output topic.
 */
export function createWordCountStream(builder: StreamsBuilder, options: WordCountOptions = {}): KTable<string, number> {
  const { inputTopic, outputTopic, storeName } = { ...DEFAULTS, ...options };
  const counts = builder
    .stream(inputTopic, { keySerde: str, valueSerde: str })
    .flatMapValues(words)
    .groupBy((_key, word) => word, { keySerde: str, valueSerde: str })
    .count({ materialized: { storeName } });
  counts.toStream().to(outputTopic);
  return counts;
}

/** The whole topology, as `main.ts` runs it and the tests drive it. */
export function buildWordCountTopology(options: WordCountOptions = {}): Topology {
  const builder = new StreamsBuilder();
  createWordCountStream(builder, options);
  return builder.build();
}
