// One readiness probe for scripts/kafka.sh: the broker at argv[2] answers Metadata
// (listTopics), lists at least one live broker, and has a group coordinator. Asking for the
// coordinator makes the broker create __consumer_offsets now, so the first test that joins a
// consumer group does not meet "group coordinator not available". Exit 0 ready, 1 not yet, 2 when kafkajs
// is not installed (before `npm ci`), so the caller falls back to reading the broker log.
const broker = process.argv[2];
// A hung connection must not stall the caller's wait loop past its own deadline.
setTimeout(() => process.exit(1), 8000).unref();

let kafkajs;
try {
  kafkajs = (await import('kafkajs')).default;
} catch {
  process.exit(2);
}

const kafka = new kafkajs.Kafka({
  clientId: 'parley-kafka-sh',
  brokers: [broker],
  logLevel: kafkajs.logLevel.NOTHING,
  connectionTimeout: 2000,
  requestTimeout: 3000,
  retry: { retries: 0 },
});
const admin = kafka.admin();
let ready = false;
try {
  await admin.connect();
  await admin.listTopics();
  const cluster = await admin.describeCluster();
  await admin.describeGroups(['parley-kafka-sh-probe']);
  ready = cluster.brokers.length > 0;
} catch (err) {
  if (process.env.KAFKA_SH_DEBUG) console.error(err);
} finally {
  await admin.disconnect().catch(() => {});
}
process.exit(ready ? 0 : 1);
