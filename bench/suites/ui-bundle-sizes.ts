/**
 * `ui.bundle-sizes`: the gzipped JavaScript a browser downloads for each UI, from the manifest
 * the UI build writes (`packages/ui/dist/assets/manifest.json`, gzip level 9, as served). The
 * suite builds the assets first, so the figures are those of the code checked out.
 *
 * - `ui.bundle-sizes.widget`: `widget/widget.js`, what an embedding page loads (target ≤ 50 kB);
 * - `ui.bundle-sizes.inbox`: every `inbox/*.js` (target ≤ 250 kB).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult, BenchSuite } from '../lib/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MANIFEST = path.join(root, 'packages', 'ui', 'dist', 'assets', 'manifest.json');

type Manifest = Record<string, { bytes: number; gzipBytes: number; brotliBytes: number }>;

function sizes(manifest: Manifest, matches: (file: string) => boolean) {
  const files = Object.entries(manifest).filter(([file]) => matches(file));
  if (files.length === 0) throw new Error(`no file of the manifest matches: is ${MANIFEST} from a complete build?`);
  const sum = (key: 'bytes' | 'gzipBytes' | 'brotliBytes') => files.reduce((total, [, entry]) => total + entry[key], 0);
  return { bytes: sum('bytes'), gzip: sum('gzipBytes'), brotli: sum('brotliBytes') };
}

const kB = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

export const uiBundleSizes: BenchSuite = {
  name: 'ui.bundle-sizes',
  async run(): Promise<BenchResult[]> {
    execFileSync('npm', ['run', 'build:ui'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Manifest;
    const widget = sizes(manifest, (file) => file === 'widget/widget.js');
    const inbox = sizes(manifest, (file) => file.startsWith('inbox/') && file.endsWith('.js'));
    return [
      { name: 'ui.bundle-sizes.widget', value: kB(widget.gzip), unit: 'kB gzipped', note: `widget.js, the script an embedding page loads: ${kB(widget.bytes)} kB minified, ${kB(widget.brotli)} kB brotli; target ≤ 50 kB` },
      { name: 'ui.bundle-sizes.inbox', value: kB(inbox.gzip), unit: 'kB gzipped', note: `the inbox's JavaScript (every inbox/*.js): ${kB(inbox.bytes)} kB minified, ${kB(inbox.brotli)} kB brotli; target ≤ 250 kB` },
    ];
  },
};
