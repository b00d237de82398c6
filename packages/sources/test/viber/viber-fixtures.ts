import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { channelId, type Channel } from '@parley/schemas';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A callback of `fixtures/`, as the raw bytes Viber posts. */
export function viberFixture(name: string): Buffer {
  return fs.readFileSync(path.join(here, 'fixtures', name));
}

export const AUTH_TOKEN = '445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9';
export const ACCOUNT_ID = 'pa:5188519582451243213';
export const VIBER_CHANNEL: Channel = { id: channelId('viber', ACCOUNT_ID), source: 'viber', sourceChannelId: ACCOUNT_ID, token: null, connectionState: 'CONNECTED' };
export const CONTACT = '01234567890A=';
