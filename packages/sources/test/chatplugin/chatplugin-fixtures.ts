import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelId, type Channel } from '@parley/schemas';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A fixture of `test/chatplugin/fixtures/`, as raw bytes (what the events topic holds). */
export function chatFixture(name: string): Buffer {
  return fs.readFileSync(path.join(here, 'fixtures', name));
}

/** The channel the fixtures' events belong to. */
export const SOURCE_CHANNEL_ID = 'e3b0c442-98fc-4c14-9afb-f4c8996fb924';
export const CHAT_CHANNEL: Channel = {
  id: channelId('chatplugin', SOURCE_CHANNEL_ID),
  source: 'chatplugin',
  sourceChannelId: SOURCE_CHANNEL_ID,
  token: null,
  connectionState: 'CONNECTED',
};
/** The fixtures' conversation. */
export const CONVERSATION = '0b7f4c2a-93d1-4e6b-8a5f-2c1d3e4f5a6b';
