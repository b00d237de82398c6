import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI_SRC } from './helpers.js';

/** Every source file (relative to src/) with the module specifiers it imports, statically or dynamically. */
function imports(): Array<{ file: string; specifier: string; typeOnly: boolean; dynamic: boolean }> {
  const out: Array<{ file: string; specifier: string; typeOnly: boolean; dynamic: boolean }> = [];
  for (const file of fs.readdirSync(CLI_SRC, { recursive: true }) as string[]) {
    if (!file.endsWith('.ts')) continue;
    const text = fs.readFileSync(path.join(CLI_SRC, file), 'utf8');
    const rel = file.split(path.sep).join('/');
    for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) out.push({ file: rel, specifier: m[3]!, typeOnly: m[2] !== undefined, dynamic: false });
    for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push({ file: rel, specifier: m[1]!, typeOnly: false, dynamic: false });
    for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ file: rel, specifier: m[1]!, typeOnly: false, dynamic: true });
  }
  return out;
}

describe('Cli > boundaries', () => {
  const all = imports();
  const of = (pattern: RegExp) => all.filter((i) => pattern.test(i.specifier));

  it('finds the imports it checks', () => {
    expect(of(/^commander$/)).to.not.deep.equal([]);
    expect(of(/^@parley\/runtime$/)).to.not.deep.equal([]);
  });

  it('never imports express, kafkajs, classic-level or @parley/streams', () => {
    expect(of(/^(express|kafkajs|classic-level|@parley\/streams)(\/|$)/)).to.deep.equal([]);
  });

  it('loads @parley/runtime only on demand, in load-runtime.ts (for `start`, `run`, `config validate` and `import airy`)', () => {
    const runtime = of(/^@parley\/runtime(\/|$)/);
    expect(runtime.filter((i) => !i.typeOnly && !(i.dynamic && i.file === 'load-runtime.ts'))).to.deep.equal([]);
    expect(runtime.filter((i) => i.dynamic).map((i) => i.file)).to.deep.equal(['load-runtime.ts']);
  });

  it('imports commander only under src/commands/', () => {
    expect(of(/^commander$/).filter((i) => !i.file.startsWith('commands/'))).to.deep.equal([]);
  });
});
