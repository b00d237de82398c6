import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig, resolveConfig, RuntimeError, type LoadConfigOptions } from '../../src/index.js';
import { tempDir } from '../helpers.js';

function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function loadError(options: LoadConfigOptions): RuntimeError {
  try {
    loadConfig({ env: {}, ...options });
  } catch (err) {
    expect(err).to.be.instanceOf(RuntimeError);
    return err as RuntimeError;
  }
  throw new Error('loadConfig did not throw');
}

/** The documented defaults of the HTTP timeouts and connection cap (docs/operations.md). */
const HTTP_TIMEOUT_DEFAULTS = { headersTimeoutMs: 10_000, bodyTimeoutMs: 30_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000, maxConnections: 1024, drainDelayMs: 0, shutdownGraceMs: 5000 };

describe('Config > loadConfig', () => {
  it('fills in every default when there is no file', () => {
    const cwd = tempDir('cfg');
    const config = loadConfig({ cwd, env: {} });
    expect(config).to.deep.equal({
      dataDir: path.join(cwd, '.parley-data'),
      log: { backend: 'embedded' },
      http: { host: '127.0.0.1', port: 8080, bodyLimitBytes: 1024 * 1024, ...HTTP_TIMEOUT_DEFAULTS },
      auth: { enabled: true, sessionTtlSeconds: 43200 },
      memory: { storeCacheBytes: 10 * 1024 * 1024, leveldbBlockCacheBytes: 8 * 1024 * 1024, leveldbWriteBufferBytes: 4 * 1024 * 1024 },
      metrics: {},
      media: { store: 'local' },
      sources: {},
      webhooks: {
        enabled: true,
        queue: { keyPrefix: 'parley:webhooks:', consumer: 'parley' },
        retrySchedule: [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400],
        timeoutMs: 15_000,
        concurrency: 8,
        allowPrivateNetworks: false,
      },
      logLevel: 'info',
    });
  });

  it('reads parley.yaml from the working directory and resolves its dataDir against the file', () => {
    const cwd = tempDir('cfg');
    write(cwd, 'parley.yaml', 'dataDir: state\nhttp:\n  port: 9001\nsources:\n  facebook:\n    appSecret: s3cr3t-value\n');
    const config = loadConfig({ cwd, env: {} });
    expect([config.dataDir, config.http.port, config.sources]).to.deep.equal([
      path.join(cwd, 'state'),
      9001,
      { facebook: { enabled: true, appSecret: 's3cr3t-value' } },
    ]);
  });

  it('reads the file named by PARLEY_CONFIG, relative to the working directory', () => {
    const cwd = tempDir('cfg');
    write(cwd, 'conf/other.yaml', 'dataDir: /var/parley\nlog:\n  backend: kafka\n  brokers: [a:9092, b:9092]\n');
    const config = loadConfig({ cwd, env: { PARLEY_CONFIG: 'conf/other.yaml' } });
    expect([config.dataDir, config.log]).to.deep.equal(['/var/parley', { backend: 'kafka', brokers: ['a:9092', 'b:9092'] }]);
  });

  it('applies environment variables over the file and explicit overrides over both', () => {
    const cwd = tempDir('cfg');
    const file = write(cwd, 'p.yaml', 'http:\n  port: 1000\n  host: 0.0.0.0\nauth:\n  enabled: true\n');
    const env = { PARLEY_PORT: '2000', PARLEY_AUTH_ENABLED: 'false', PARLEY_LOG_BACKEND: 'kafka', PARLEY_KAFKA_BROKERS: 'x:1, y:2', PARLEY_KAFKA_NAMESPACE: 'tenant-a', PARLEY_DATA_DIR: 'd' };
    const config = loadConfig({ file, cwd, env, overrides: { http: { port: 3000 } } });
    expect([config.http, config.auth.enabled, config.log.brokers, config.log.namespace, config.dataDir]).to.deep.equal([
      { host: '0.0.0.0', port: 3000, bodyLimitBytes: 1024 * 1024, ...HTTP_TIMEOUT_DEFAULTS },
      false,
      ['x:1', 'y:2'],
      'tenant-a',
      path.join(cwd, 'd'),
    ]);
  });

  it('reads the S3 media store from the environment, and names a missing bucket', () => {
    const cwd = tempDir('cfg');
    const env = { PARLEY_MEDIA_STORE: 's3', PARLEY_MEDIA_S3_BUCKET: 'media', PARLEY_MEDIA_S3_REGION: 'eu-west-1', PARLEY_MEDIA_S3_ENDPOINT: 'http://minio:9000', PARLEY_MEDIA_S3_ACCESS_KEY_ID: 'AKIA1', PARLEY_MEDIA_S3_SECRET_ACCESS_KEY: 'secret-1' };
    expect(loadConfig({ cwd, env }).media).to.deep.equal({ store: 's3', s3: { bucket: 'media', region: 'eu-west-1', endpoint: 'http://minio:9000', accessKeyId: 'AKIA1', secretAccessKey: 'secret-1', prefix: '', timeoutMs: 30_000 } });
    const err = loadError({ cwd, env: { PARLEY_MEDIA_STORE: 's3' } });
    expect([err.code, err.field]).to.deep.equal(['RUNTIME_CONFIG_INVALID', 'media.s3']);
  });

  it('names the bad field of the file', () => {
    const cwd = tempDir('cfg');
    const file = write(cwd, 'p.yaml', 'http:\n  port: eighty\n');
    const err = loadError({ file, cwd });
    expect([err.code, err.field]).to.deep.equal(['RUNTIME_CONFIG_INVALID', 'http.port']);
  });

  it('names the field a bad environment variable sets', () => {
    const err = loadError({ cwd: tempDir('cfg'), env: { PARLEY_PORT: 'http' } });
    expect([err.code, err.field]).to.deep.equal(['RUNTIME_CONFIG_INVALID', 'http.port']);
    expect(err.message).to.include('PARLEY_PORT');
  });

  it('rejects unknown settings instead of ignoring a typo', () => {
    const cwd = tempDir('cfg');
    const err = loadError({ file: write(cwd, 'p.yaml', 'http:\n  prot: 80\n'), cwd });
    expect([err.code, err.field]).to.deep.equal(['RUNTIME_CONFIG_INVALID', 'http.prot']);
  });

  it('requires brokers for the kafka backend', () => {
    const err = loadError({ cwd: tempDir('cfg'), env: { PARLEY_LOG_BACKEND: 'kafka' } });
    expect([err.code, err.field]).to.deep.equal(['RUNTIME_CONFIG_INVALID', 'log.brokers']);
  });

  it('rejects a short JWT secret without repeating it', () => {
    const secret = 'short-but-secret';
    const err = loadError({ cwd: tempDir('cfg'), env: { PARLEY_JWT_SECRET: secret } });
    expect([err.code, err.field, err.message.includes(secret)]).to.deep.equal(['RUNTIME_CONFIG_INVALID', 'auth.jwtSecret', false]);
  });

  it('reports invalid YAML with its position but without quoting the line', () => {
    const cwd = tempDir('cfg');
    const err = loadError({ file: write(cwd, 'p.yaml', 'auth:\n  jwtSecret: "unterminated-secret-value\n'), cwd });
    expect(err.code).to.equal('RUNTIME_CONFIG_INVALID');
    expect(err.message).to.not.include('unterminated-secret-value');
  });

  it('rejects a file that is not a mapping', () => {
    const cwd = tempDir('cfg');
    const err = loadError({ file: write(cwd, 'p.yaml', '- a\n- b\n'), cwd });
    expect(err.code).to.equal('RUNTIME_CONFIG_INVALID');
  });

  it('fails with RUNTIME_CONFIG_NOT_FOUND for a named file that does not exist', () => {
    const err = loadError({ file: 'missing.yaml', cwd: tempDir('cfg') });
    expect(err.code).to.equal('RUNTIME_CONFIG_NOT_FOUND');
  });

  it('treats an empty file as all defaults', () => {
    const cwd = tempDir('cfg');
    expect(loadConfig({ file: write(cwd, 'p.yaml', ''), cwd, env: {} }).http.port).to.equal(8080);
  });
});

describe('Config > resolveConfig', () => {
  it('lets a source be listed but disabled, keeping its other settings', () => {
    const config = resolveConfig({ sources: { viber: { enabled: false, authToken: 'abcd1234' } } }, { baseDir: '/srv' });
    expect([config.sources, config.dataDir]).to.deep.equal([{ viber: { enabled: false, authToken: 'abcd1234' } }, '/srv/.parley-data']);
  });

  it('rejects provider names that are not lowercase words', () => {
    try {
      resolveConfig({ sources: { Face_Book: {} } });
      expect.fail('resolveConfig accepted a bad provider name');
    } catch (err) {
      expect([(err as RuntimeError).code, (err as RuntimeError).field]).to.deep.equal(['RUNTIME_CONFIG_INVALID', 'sources.Face_Book']);
    }
  });
});
