import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Every module specifier each source file imports, with the file (relative to src/, `/`-separated). */
function imports(): { file: string; module: string }[] {
  const specifier = /(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g;
  return (fs.readdirSync(src, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...fs.readFileSync(path.join(src, f), 'utf8').matchAll(specifier)].map((m) => ({ file: f.split(path.sep).join('/'), module: m[1]! })));
}

/** The provider folder a file (or a relative import resolved from it) lies in, if any. */
function folderOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts.length > 1 ? parts[0] : undefined;
}

const PROVIDER_FOLDERS = ['custom', 'chatplugin', 'facebook', 'instagram', 'whatsapp'];

describe('Sources > Boundaries', () => {
  const all = imports();

  it('never imports the runtime or an HTTP framework: the runtime implements the host interface, not the other way round', () => {
    expect(all.some((i) => i.module === '@parley/communication')).to.equal(true);
    const forbidden = all.filter((i) => i.module.startsWith('@parley/runtime') || i.module.startsWith('@parley/cli') || ['express', 'cors'].includes(i.module));
    expect(forbidden).to.deep.equal([]);
  });

  it('imports ws only in the chat plugin folder', () => {
    const ws = all.filter((i) => i.module === 'ws').map((i) => i.file);
    expect(ws).to.not.deep.equal([]);
    expect(ws.filter((f) => !f.startsWith('chatplugin/'))).to.deep.equal([]);
  });

  it('keeps each provider in its own folder: no provider imports a sibling provider, and the shared pieces import no provider', () => {
    const crossing = all.filter((i) => {
      if (!i.module.startsWith('.')) return false;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(i.file), i.module));
      const from = folderOf(i.file);
      const to = folderOf(target);
      if (to === undefined || !PROVIDER_FOLDERS.includes(to)) return false;
      // index.ts re-exports every provider; anything else outside a provider folder must not reach into one.
      return i.file !== 'index.ts' && from !== to;
    });
    expect(crossing).to.deep.equal([]);
  });
});
