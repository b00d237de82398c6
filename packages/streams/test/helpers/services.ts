import { assert } from 'chai';
import { describe, it, type Suite } from 'mocha';

/**
 * Gates for the real-service test tier (convention C6). `npm test` (scripts/test.sh) starts a
 * real Kafka broker and Redis server and exports their addresses; a suite wrapped in
 * `describeIfKafka` / `describeIfRedis` runs only when the address is set.
 *
 * Without the address the suite is never silently green: it shows one pending test naming
 * the reason, and under CI (`CI=true`) one failing test, because there a missing service
 * means the tier did not run.
 */

interface ServiceGate {
  readonly envVar: 'KAFKA_BROKERS' | 'REDIS_URL' | 'KAFKA_STREAMS_DIFF_CLASSPATH';
  readonly service: string;
  readonly howToStart: string;
}

const KAFKA: ServiceGate = {
  envVar: 'KAFKA_BROKERS',
  service: 'Apache Kafka broker',
  howToStart: 'run `npm test`, or `bash scripts/kafka.sh start` and export what it prints',
};

const REDIS: ServiceGate = {
  envVar: 'REDIS_URL',
  service: 'Redis server',
  howToStart: 'run `npm test`, or `bash scripts/redis.sh start` and export what it prints',
};

const KAFKA_STREAMS: ServiceGate = {
  envVar: 'KAFKA_STREAMS_DIFF_CLASSPATH',
  service: 'Kafka Streams TopologyTestDriver runner (java, javac, mvn)',
  howToStart: 'run `npm test`, or `bash scripts/kafka-streams-differential.sh start` and export what it prints',
};

/** True when running under CI (`CI=true`, or `CI=1` as some runners set it). */
export function isCi(): boolean {
  const ci = process.env['CI']?.trim().toLowerCase();
  return ci === 'true' || ci === '1';
}

function envValue(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function describeIfService(gate: ServiceGate, title: string, fn: (this: Suite) => void): Suite {
  if (envValue(gate.envVar) !== undefined) return describe(title, fn);
  return describe(title, () => {
    if (isCi()) {
      it(`needs a real ${gate.service}, which CI must provide (${gate.envVar} not set)`, () => {
        assert.fail(`${gate.envVar} is not set under CI=true, so this tier did not run: ${gate.howToStart}`);
      });
    } else {
      // No function: mocha reports it as pending, with the reason in its title.
      it(`runs against a real ${gate.service} (${gate.envVar} not set: ${gate.howToStart})`);
    }
  });
}

/** `describe` that runs only when `KAFKA_BROKERS` points at a real broker. */
export function describeIfKafka(title: string, fn: (this: Suite) => void): Suite {
  return describeIfService(KAFKA, title, fn);
}

/** `describe` that runs only when `REDIS_URL` points at a real Redis server. */
export function describeIfRedis(title: string, fn: (this: Suite) => void): Suite {
  return describeIfService(REDIS, title, fn);
}

/** `describe` that runs only when `KAFKA_STREAMS_DIFF_CLASSPATH` holds the differential runner's build. */
export function describeIfKafkaStreams(title: string, fn: (this: Suite) => void): Suite {
  return describeIfService(KAFKA_STREAMS, title, fn);
}

/** The differential runner's Java classpath. Throws when unset: call it inside `describeIfKafkaStreams` only. */
export function kafkaStreamsClasspath(): string {
  const value = envValue(KAFKA_STREAMS.envVar);
  if (value === undefined) throw new Error(`${KAFKA_STREAMS.envVar} is not set: ${KAFKA_STREAMS.howToStart}`);
  return value;
}

/**
 * The bootstrap brokers from `KAFKA_BROKERS` (comma-separated `host:port`), for kafkajs's
 * `brokers` option. Throws when unset: call it inside `describeIfKafka` only.
 */
export function kafkaBrokers(): string[] {
  const value = envValue(KAFKA.envVar);
  if (value === undefined) throw new Error(`${KAFKA.envVar} is not set: ${KAFKA.howToStart}`);
  return value.split(',').map((broker) => broker.trim()).filter((broker) => broker !== '');
}

/** The Redis URL from `REDIS_URL` (`redis://host:port`). Throws when unset: call it inside `describeIfRedis` only. */
export function redisUrl(): string {
  const value = envValue(REDIS.envVar);
  if (value === undefined) throw new Error(`${REDIS.envVar} is not set: ${REDIS.howToStart}`);
  return value;
}
