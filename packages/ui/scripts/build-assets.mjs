// Builds the browser assets into dist/assets/ with esbuild: the inbox (a single-page app with
// content-hashed bundles, cached for a year) and the chat widget (`widget.js`, a stable name the
// embed snippet points at, cached briefly). Every file gets a `.gz` and a `.br` beside it, served
// by the runtime to clients that accept them. `manifest.json` lists each file with its sizes.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const out = path.join(root, 'dist', 'assets');
const production = process.env.PARLEY_UI_DEV !== '1';

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'inline',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
};

async function buildInbox() {
  const dir = path.join(out, 'inbox');
  const result = await esbuild.build({
    ...common,
    entryPoints: { inbox: path.join(web, 'inbox', 'main.tsx') },
    outdir: dir,
    entryNames: '[name]-[hash]',
    format: 'esm',
    splitting: false,
    metafile: true,
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const js = outputs.find((name) => name.endsWith('.js'));
  const css = outputs.find((name) => name.endsWith('.css'));
  let html = fs.readFileSync(path.join(web, 'inbox', 'index.html'), 'utf8');
  html = html.replace('{{inbox.js}}', `/ui/${js}`);
  html = css === undefined ? html.replace(/\s*<link rel="stylesheet" href="\{\{inbox\.css\}\}" \/>/, '') : html.replace('{{inbox.css}}', `/ui/${css}`);
  fs.writeFileSync(path.join(dir, 'index.html'), html);
}

async function buildWidget() {
  const dir = path.join(out, 'widget');
  await esbuild.build({
    ...common,
    entryPoints: { widget: path.join(web, 'widget', 'widget.ts'), demo: path.join(web, 'widget', 'demo.ts') },
    outdir: dir,
    format: 'iife',
  });
  for (const file of ['demo.html', 'demo.css']) fs.copyFileSync(path.join(web, 'widget', file), path.join(dir, file));
}

function compressAll() {
  const manifest = {};
  for (const app of ['inbox', 'widget']) {
    const dir = path.join(out, app);
    for (const name of fs.readdirSync(dir)) {
      if (name.endsWith('.gz') || name.endsWith('.br')) continue;
      const file = path.join(dir, name);
      const bytes = fs.readFileSync(file);
      const gzip = zlib.gzipSync(bytes, { level: 9 });
      const brotli = zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
      fs.writeFileSync(`${file}.gz`, gzip);
      fs.writeFileSync(`${file}.br`, brotli);
      manifest[`${app}/${name}`] = { bytes: bytes.length, gzipBytes: gzip.length, brotliBytes: brotli.length };
    }
  }
  fs.writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

fs.rmSync(out, { recursive: true, force: true });
await Promise.all([buildInbox(), buildWidget()]);
const manifest = compressAll();
const total = (app) => Object.entries(manifest).filter(([name]) => name.startsWith(`${app}/`) && name.endsWith('.js')).reduce((sum, [, sizes]) => sum + sizes.gzipBytes, 0);
console.error(`ui: built dist/assets (inbox ${(total('inbox') / 1024).toFixed(1)} kB gzipped JS, widget ${(total('widget') / 1024).toFixed(1)} kB)`);
