import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A Telegram update of `fixtures/`, as raw bytes. */
export const telegramFixture = (name: string): Buffer => fs.readFileSync(path.join(here, 'fixtures', name));

export const BOT_TOKEN = '6123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
export const BOT_ID = '6123456789';
export const SECRET_TOKEN = 'parley-telegram-secret-0123456789';
export const CHAT = '7012345678';
