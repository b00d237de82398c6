import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import * as schemas from '../src/index.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The first ```ts block after `heading`. */
function codeBlockAfter(heading: string): string {
  const section = README.slice(README.indexOf(heading));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (match === null) throw new Error(`no ts block after ${heading}`);
  return match[1]!;
}

describe('Schemas > README', () => {
  it('runs the Usage snippet as it stands', async () => {
    const snippet = codeBlockAfter('## Usage');
    const imports = [...snippet.matchAll(/^import[\s\S]*?from '([^']+)';$/gm)];
    expect(imports.map((m) => m[1])).to.deep.equal(['node:assert/strict', '@parley/schemas']);
    // The snippet is plain JavaScript once its imports are supplied as parameters.
    const body = snippet.replace(/^import[\s\S]*?from '[^']+';$/gm, '');
    const names = Object.keys(schemas);
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
    await new AsyncFunction('assert', ...names, body)(assert, ...names.map((n) => (schemas as Record<string, unknown>)[n]));
  });

  it('lists every record of the model', () => {
    for (const name of schemas.RECORD_NAMES) expect(README).to.include(`| \`${name}\` |`);
  });

  it('lists every model topic', () => {
    for (const topic of Object.values(schemas.COMMUNICATION_TOPICS)) expect(README).to.include(`| \`${topic.name}\` |`);
  });
});
