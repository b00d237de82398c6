import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// The package graph points one way and each I/O library lives in one folder (conventions C1, C2).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Module specifiers imported (statically or dynamically) by a file. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

const rel = (file: string) => path.relative(root, file);
const importers = (files: string[], matches: (specifier: string) => boolean) =>
  files.filter((f) => importsOf(f).some(matches)).map(rel);

const pkg = (name: string) => (s: string) => s === name || s.startsWith(`${name}/`);

describe('Repository > boundaries', () => {
  const streams = sourceFiles(path.join(root, 'packages/streams/src'));

  it('imports kafkajs only in the Kafka log backend', () => {
    expect(importers(streams, pkg('kafkajs')).every((f) => f.startsWith('packages/streams/src/log/kafka/'))).to.equal(true);
  });

  it('imports classic-level only in the LevelDB stores', () => {
    expect(importers(streams, pkg('classic-level')).every((f) => f.startsWith('packages/streams/src/state/leveldb/'))).to.equal(true);
  });

  it('imports avsc only in the Avro serde folder', () => {
    expect(importers(streams, pkg('avsc')).every((f) => f.startsWith('packages/streams/src/serde/avro/'))).to.equal(true);
  });

  it('keeps @parley/streams a leaf that knows no other Parley package and no HTTP framework', () => {
    expect(importers(streams, (s) => s.startsWith('@parley/') || s === 'express')).to.deep.equal([]);
  });

  it('loads neither kafkajs nor classic-level nor avsc from the core entry', async () => {
    const core = path.join(root, 'packages/streams/src/index.ts');
    const seen = new Set<string>();
    const heavy: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of importsOf(file)) {
        if (['kafkajs', 'classic-level', 'avsc'].some((p) => pkg(p)(specifier))) heavy.push(`${rel(file)} → ${specifier}`);
        if (!specifier.startsWith('.')) continue;
        // Dynamic imports are loaded on demand only: follow static imports.
        if (fs.readFileSync(file, 'utf8').includes(`import('${specifier}')`)) continue;
        visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      }
    };
    visit(core);
    expect(seen.size, 'files reached from the core entry').to.be.greaterThan(20);
    expect(heavy).to.deep.equal([]);
  });

  it('keeps express inside the runtime HTTP layer and commander inside the CLI commands', () => {
    const runtime = sourceFiles(path.join(root, 'packages/runtime/src'));
    const cli = sourceFiles(path.join(root, 'packages/cli/src'));
    const sources = sourceFiles(path.join(root, 'packages/sources/src'));
    expect(importers([...runtime, ...cli, ...sources], pkg('express')).every((f) => f.startsWith('packages/runtime/src/http/'))).to.equal(true);
    expect(importers([...runtime, ...cli, ...sources], pkg('commander')).every((f) => f.startsWith('packages/cli/src/commands/'))).to.equal(true);
  });

  it('keeps the CLI a client: it never imports the streams library or a backend', () => {
    const cli = sourceFiles(path.join(root, 'packages/cli/src'));
    const forbidden = ['@parley/streams', 'kafkajs', 'classic-level', 'express'];
    expect(importers(cli, (s) => forbidden.some((f) => pkg(f)(s)))).to.deep.equal([]);
  });
});
