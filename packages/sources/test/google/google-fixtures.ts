import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelId, type Channel } from '@parley/schemas';

const here = path.dirname(fileURLToPath(import.meta.url));

export function googleFixture(name: string): Buffer {
  return fs.readFileSync(path.join(here, 'fixtures', name));
}

export const CLIENT_TOKEN = 'gbm-client-token-0123456789';
export const AGENT = 'acme-agent';
export const GOOGLE_CHANNEL: Channel = { id: channelId('google', AGENT), source: 'google', sourceChannelId: AGENT, token: null, connectionState: 'CONNECTED' };
export const GBM_CONVERSATION = 'conv-7f3a';
