/**
 * `@parley/streams/testing`: the TopologyTestDriver and the conformance suites every Log and
 * store backend must pass (they use mocha's describe/it and chai's expect: install both).
 */
export { TopologyTestDriver } from './testing/topology-test-driver.js';
export type { TopologyTestDriverOptions, CrashOptions, DeadLetter } from './testing/topology-test-driver.js';
export { TestInputTopic } from './testing/test-input-topic.js';
export type { TestInputRecord, TestInputTopicOptions } from './testing/test-input-topic.js';
export { TestOutputTopic } from './testing/test-output-topic.js';
export type { TestKeyValue, TestRecord } from './testing/test-output-topic.js';
export { logConformance } from './testing/log-conformance.js';
export type { LogConformanceOptions } from './testing/log-conformance.js';
export { keyValueStoreConformance } from './testing/key-value-store-conformance.js';
export { windowStoreConformance } from './testing/window-store-conformance.js';
export { collect } from './testing/log-conformance.js';
export { FaultyFs } from './testing/faulty-fs.js';
export type { Fault, FaultyCall } from './testing/faulty-fs.js';
