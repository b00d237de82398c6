import { expect } from 'chai';
import { resolveConfig, type RuntimeError } from '../../src/index.js';

describe('Config > memory', () => {
  it('defaults to a 10 MiB record cache, 8 MiB block cache and 4 MiB write buffer per store, and takes smaller ones', () => {
    expect(resolveConfig({}).memory).to.deep.equal({ storeCacheBytes: 10 * 1024 * 1024, leveldbBlockCacheBytes: 8 * 1024 * 1024, leveldbWriteBufferBytes: 4 * 1024 * 1024 });
    expect(resolveConfig({ memory: { storeCacheBytes: 0, leveldbBlockCacheBytes: 65536 } }).memory).to.include({ storeCacheBytes: 0, leveldbBlockCacheBytes: 65536 });
  });

  it('rejects a LevelDB buffer below 64 KiB, naming the field', () => {
    let error: unknown;
    try {
      resolveConfig({ memory: { leveldbWriteBufferBytes: 1000 } });
    } catch (err) {
      error = err;
    }
    expect([(error as RuntimeError).code, (error as RuntimeError).field]).to.deep.equal(['RUNTIME_CONFIG_INVALID', 'memory.leveldbWriteBufferBytes']);
  });
});
