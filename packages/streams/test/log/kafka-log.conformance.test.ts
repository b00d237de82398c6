import { randomBytes } from 'node:crypto';
import { logConformance } from '../../src/testing/log-conformance.js';
import { KafkaLog } from '../../src/log/kafka/kafka-log.js';
import type { KafkaLogOptions } from '../../src/log/kafka/kafka-log-options.js';
import type { Log } from '../../src/log/types.js';
import { describeIfKafka, kafkaBrokers } from '../helpers/services.js';

// Fast rebalances for tests: members notice a rebalance within ~0.5 s.
const options = (extra: Partial<KafkaLogOptions> = {}): KafkaLogOptions => ({
  brokers: kafkaBrokers(),
  clientId: 'parley-conformance',
  heartbeatIntervalMs: 300,
  sessionTimeoutMs: 10_000,
  consumerMaxWaitMs: 200,
  ...extra,
});

/** The suite on KafkaLog; `namespace` gives each fresh log a namespace of its own. */
function kafkaConformance(name: string, namespace: () => Partial<KafkaLogOptions>): void {
  logConformance({
    name,
    factory: async () => {
      const log = new KafkaLog(options(namespace()));
      await log.open();
      return log;
    },
    // A new client on the same cluster (and namespace): everything must come back from the broker.
    reopen: async (log: Log) => {
      await log.close();
      const ns = (log as KafkaLog).namespace;
      const reopened = new KafkaLog(options(ns === '' ? {} : { namespace: ns }));
      await reopened.open();
      return reopened;
    },
    // No `compact` hook: the log cleaner never touches the active segment, and nothing short
    // of appending another record rolls it, which the suite's offset checks forbid. The real
    // cleaner is exercised in kafka-log.test.ts instead.
    timeoutMs: 30_000,
  });
}

describeIfKafka('Log > Kafka', () => {
  kafkaConformance('KafkaLog', () => ({}));
  // Every name goes through the namespace translation: the contract must hold just the same.
  kafkaConformance('KafkaLog in a namespace', () => ({ namespace: `ns${randomBytes(4).toString('hex')}` }));
});
