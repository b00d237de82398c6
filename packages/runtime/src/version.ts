import * as fs from 'node:fs';

/** This package's version, from its package.json (one level above both src/ and dist/). */
export const RUNTIME_VERSION: string = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
