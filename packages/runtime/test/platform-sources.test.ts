import { expect } from 'chai';
import { createPlatform, PLATFORM_SOURCE_NAMES } from '../src/index.js';
import { tempDir } from './helpers.js';

/** A valid section of each hosted provider whose schema has required fields (a section is validated also when disabled). */
const TWILIO_SECTION = { accountSid: `AC${'0'.repeat(32)}`, authToken: 'twilio-auth-token-0123456789', publicUrl: 'https://parley.example/webhooks/twilio' };
const META_SECTION = { appSecret: 'meta-app-secret-0123456789', verifyToken: 'verify-token' };
const VALID_SECTIONS: Record<string, Record<string, unknown>> = {
  facebook: { appId: '1234', ...META_SECTION },
  instagram: META_SECTION,
  whatsapp: META_SECTION,
  'twilio-sms': TWILIO_SECTION,
  'twilio-whatsapp': TWILIO_SECTION,
  telegram: { botToken: '6123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', secretToken: 'parley-telegram-secret-0123456789', publicUrl: 'https://parley.example/webhooks/telegram' },
};

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
    // Providers that need credentials get the fewest their schema accepts (validated even when disabled).
    const sources = Object.fromEntries(PLATFORM_SOURCE_NAMES.map((name, i) => [name, { enabled: i % 2 === 0, ...VALID_SECTIONS[name] }]));
    const platform = createPlatform({ dataDir: tempDir('known-providers'), http: { port: 0 }, sources }, { logging: { level: 'silent' } });
    expect(Object.keys(platform.config.sources).sort()).to.deep.equal([...PLATFORM_SOURCE_NAMES].sort());
  });
});
