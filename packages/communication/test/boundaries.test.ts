import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Every module specifier a source file imports, with the file (relative to src/). */
function imports(): { file: string; module: string }[] {
  const specifier = /(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g;
  return (fs.readdirSync(src, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...fs.readFileSync(path.join(src, f), 'utf8').matchAll(specifier)].map((m) => ({ file: f.split(path.sep).join('/'), module: m[1]! })));
}

describe('Communication > Boundaries', () => {
  it('imports @parley/schemas, @parley/streams, zod and Node built-ins only: the domain depends on no provider and no HTTP layer', () => {
    const all = imports();
    expect(all.some((i) => i.module === '@parley/schemas')).to.equal(true);
    const allowed = (m: string) => m.startsWith('.') || m.startsWith('node:') || m === '@parley/schemas' || m === 'zod' || m === '@parley/streams' || m.startsWith('@parley/streams/');
    expect(all.filter((i) => !allowed(i.module))).to.deep.equal([]);
  });
});
