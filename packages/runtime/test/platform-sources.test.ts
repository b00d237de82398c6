import { expect } from 'chai';
import { createPlatform, PLATFORM_SOURCE_NAMES } from '../src/index.js';
import { tempDir } from './helpers.js';

/** A valid section of each hosted provider whose schema has required fields (a section is validated also when disabled). */
const TWILIO_SECTION = { accountSid: `AC${'0'.repeat(32)}`, authToken: 'twilio-auth-token-0123456789', publicUrl: 'https://parley.example/webhooks/twilio' };
const VALID_SECTIONS: Record<string, Record<string, unknown>> = {
  'twilio-sms': TWILIO_SECTION,
  'twilio-whatsapp': TWILIO_SECTION,
  telegram: { botToken: '6123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', secretToken: 'parley-telegram-secret-0123456789', publicUrl: 'https://parley.example/webhooks/telegram' },
};

describe('Platform > Sources in the configuration', () => {
  it('refuses a section naming a provider that does not exist with RUNTIME_CONFIG_INVALID naming the field', () => {
    let err: unknown;
    try {
      createPlatform({ dataDir: tempDir('unknown-provider'), http: { port: 0 }, sources: { facebook: { enabled: true } } }, { logging: { level: 'silent' } });
    } catch (e) {
      err = e;
    }
    expect(err).to.include({ code: 'RUNTIME_CONFIG_INVALID', field: 'sources.facebook' });
  });

  it('accepts a section for every provider it hosts, enabled or not', () => {
    expect(PLATFORM_SOURCE_NAMES).to.include.members(['custom', 'chatplugin']);
    const sources = Object.fromEntries(PLATFORM_SOURCE_NAMES.map((name, i) => [name, { enabled: i % 2 === 0, ...VALID_SECTIONS[name] }]));
    const platform = createPlatform({ dataDir: tempDir('known-providers'), http: { port: 0 }, sources }, { logging: { level: 'silent' } });
    expect(Object.keys(platform.config.sources).sort()).to.deep.equal([...PLATFORM_SOURCE_NAMES].sort());
  });
});
