import { expect } from 'chai';
import { resolveConfig, RuntimeError } from '../../src/index.js';

function configError(log: unknown): RuntimeError {
  try {
    resolveConfig({ log });
  } catch (err) {
    expect(err).to.be.instanceOf(RuntimeError);
    return err as RuntimeError;
  }
  throw new Error('resolveConfig did not throw');
}

describe('Config > log.namespace and the Kafka group timings', () => {
  const kafka = { backend: 'kafka', brokers: ['a:9092'] };

  it('takes a namespace of 1-64 characters of [a-zA-Z0-9_-] for the kafka backend', () => {
    expect(resolveConfig({ log: { ...kafka, namespace: 'staging_eu-1' } }).log).to.deep.equal({ ...kafka, namespace: 'staging_eu-1' });
    expect(resolveConfig({ log: { ...kafka, namespace: 'n'.repeat(64) } }).log.namespace).to.have.length(64);
    expect(resolveConfig({ log: kafka }).log).to.not.have.property('namespace');
  });

  it('rejects a namespace with a dot, a space, nothing or too many characters', () => {
    for (const namespace of ['a.b', 'a b', '', 'n'.repeat(65), 7]) {
      const err = configError({ ...kafka, namespace });
      expect([err.code, err.field], JSON.stringify(namespace)).to.deep.equal(['RUNTIME_CONFIG_INVALID', 'log.namespace']);
    }
  });

  it('takes a session timeout and heartbeat interval for kafka, the heartbeat at most a third of the timeout', () => {
    expect(resolveConfig({ log: { ...kafka, sessionTimeoutMs: 6000, heartbeatIntervalMs: 1000 } }).log).to.include({ sessionTimeoutMs: 6000, heartbeatIntervalMs: 1000 });
    expect(configError({ ...kafka, sessionTimeoutMs: 6000, heartbeatIntervalMs: 3000 }).field).to.equal('log.heartbeatIntervalMs');
    expect(configError({ ...kafka, sessionTimeoutMs: 6000 }).field, 'the 3000 ms default is too slow for 6000').to.equal('log.heartbeatIntervalMs');
    expect(configError({ sessionTimeoutMs: 10_000 }).field, 'embedded').to.equal('log.sessionTimeoutMs');
  });

  it('rejects a namespace on the embedded log, where it would isolate nothing', () => {
    const err = configError({ namespace: 'staging' });
    expect([err.code, err.field]).to.deep.equal(['RUNTIME_CONFIG_INVALID', 'log.namespace']);
  });
});
