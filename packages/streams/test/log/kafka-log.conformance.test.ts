import { logConformance } from '../../src/testing/log-conformance.js';
import { KafkaLog } from '../../src/log/kafka/kafka-log.js';
import type { KafkaLogOptions } from '../../src/log/kafka/kafka-log-options.js';
import { describeIfKafka, kafkaBrokers } from '../helpers/services.js';

// Fast rebalances for tests: members notice a rebalance within ~0.5 s.
const options = (): KafkaLogOptions => ({ brokers: kafkaBrokers(), clientId: 'parley-conformance', heartbeatIntervalMs: 300, sessionTimeoutMs: 10_000, consumerMaxWaitMs: 200 });

describeIfKafka('Log > Kafka', () => {
  logConformance({
    name: 'KafkaLog',
    factory: async () => {
      const log = new KafkaLog(options());
      await log.open();
      return log;
    },
    // A new client on the same cluster: everything must come back from the broker.
    reopen: async (log) => {
      await log.close();
      const reopened = new KafkaLog(options());
      await reopened.open();
      return reopened;
    },
    // No `compact` hook: the log cleaner never touches the active segment, and nothing short
    // of appending another record rolls it, which the suite's offset checks forbid. The real
    // cleaner is exercised in kafka-log.test.ts instead.
    timeoutMs: 30_000,
  });
});
