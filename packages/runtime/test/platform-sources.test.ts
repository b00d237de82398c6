import { expect } from 'chai';
import { createPlatform, createRuntime, exampleSources, PLATFORM_SOURCE_NAMES, STANDALONE_PROVIDERS } from '../src/index.js';
import { registerProvider } from '../src/providers/register-provider.js';
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
    expect(PLATFORM_SOURCE_NAMES).to.include.members(['custom', 'chatplugin', 'facebook', 'instagram', 'whatsapp', 'viber', 'google', 'twilio-sms', 'twilio-whatsapp', 'telegram']);
    // Providers that need credentials get their example section (validated even when disabled).
    const examples = exampleSources();
    const sources = Object.fromEntries(PLATFORM_SOURCE_NAMES.map((name, i) => [name, { enabled: i % 2 === 0, ...examples[name] }]));
    const platform = createPlatform({ dataDir: tempDir('known-providers'), http: { port: 0 }, sources }, { logging: { level: 'silent' } });
    expect(Object.keys(platform.config.sources).sort()).to.deep.equal([...PLATFORM_SOURCE_NAMES].sort());
  });

  it('turns on every provider that needs credentials with its example section (the API reference is generated so)', () => {
    const needing = STANDALONE_PROVIDERS.filter((p) => p.offUntilConfigured === true).map((p) => p.name);
    expect(needing).to.include.members(['facebook', 'telegram', 'twilio-sms']);
    expect(Object.keys(exampleSources()).sort()).to.deep.equal([...needing].sort());
    for (const provider of STANDALONE_PROVIDERS.filter((p) => p.offUntilConfigured === true)) {
      const runtime = (sources: Record<string, Record<string, unknown>>) => createRuntime({ dataDir: tempDir('example-provider'), http: { port: 0 }, sources }, { logging: { level: 'silent' } });
      expect(registerProvider(runtime({}), provider), `${provider.name} without a section`).to.equal(false);
      expect(registerProvider(runtime({ [provider.name]: { ...exampleSources()[provider.name] } }), provider), `${provider.name} with its example`).to.equal(true);
    }
  });
});
