import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// The package graph points one way and each I/O library lives in one folder (conventions C1, C2):
// eslint.config.js enforces the direct imports (test/lint-boundaries.test.ts checks its rules);
// this file checks what lint cannot see, the modules the core entry loads transitively.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Module specifiers imported (statically or dynamically) by a file. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

const rel = (file: string) => path.relative(root, file);

const pkg = (name: string) => (s: string) => s === name || s.startsWith(`${name}/`);

describe('Repository > boundaries', () => {
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

});
