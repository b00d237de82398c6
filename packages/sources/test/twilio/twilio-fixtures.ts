import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A recorded Twilio webhook body of `fixtures/`, as raw bytes. */
export function twilioFixture(name: string): Buffer {
  return fs.readFileSync(path.join(here, 'fixtures', name));
}

export const ACCOUNT_SID = 'ACe0f1a2b3c4d5e6f708192a3b4c5d6e7f';
export const AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const BUSINESS = '+4915112345678';
export const CONTACT = '+4917698765432';
