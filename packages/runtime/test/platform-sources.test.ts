import { expect } from 'chai';
import { createPlatform, PLATFORM_SOURCE_NAMES } from '../src/index.js';
import { tempDir } from './helpers.js';

describe('Platform > Sources in the configuration', () => {
  it('refuses a section naming a provider that does not exist with RUNTIME_CONFIG_INVALID naming the field', () => {
    let err: unknown;
    try {
      createPlatform({ dataDir: tempDir('unknown-provider'), http: { port: 0 }, sources: { myspace: { enabled: true } } }, { logging: { level: 'silent' } });
    } catch (e) {
      err = e;
    }
    expect(err).to.include({ code: 'RUNTIME_CONFIG_INVALID', field: 'sources.myspace' });
  });

  it('accepts a section for every provider it hosts, enabled or not', () => {
    expect(PLATFORM_SOURCE_NAMES).to.include.members(['custom', 'chatplugin', 'facebook', 'instagram', 'whatsapp']);
    // Providers that need credentials get the fewest their schema accepts (validated even when disabled).
    const meta = { appSecret: 'meta-app-secret-0123456789', verifyToken: 'verify-token' };
    const credentials: Record<string, object> = { facebook: { appId: '1234', ...meta }, instagram: meta, whatsapp: meta };
    const sources = Object.fromEntries(PLATFORM_SOURCE_NAMES.map((name, i) => [name, { enabled: i % 2 === 0, ...credentials[name] }]));
    const platform = createPlatform({ dataDir: tempDir('known-providers'), http: { port: 0 }, sources }, { logging: { level: 'silent' } });
    expect(Object.keys(platform.config.sources).sort()).to.deep.equal([...PLATFORM_SOURCE_NAMES].sort());
  });
});
