import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Source files (relative to src/) importing `module` or a subpath of it. */
function importersOf(module: string): string[] {
  const pattern = new RegExp(`(from|import)\\s*\\(?\\s*['"]${module.replace('/', '\\/')}(/[^'"]*)?['"]`);
  return (fs.readdirSync(src, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && pattern.test(fs.readFileSync(path.join(src, f), 'utf8')))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

describe('Boundaries', () => {
  it('imports express only under src/http/', () => {
    const files = importersOf('express');
    expect(files).to.not.deep.equal([]);
    expect(files.filter((f) => !f.startsWith('http/'))).to.deep.equal([]);
  });

  it('never imports kafkajs or classic-level directly, and loads the log backends on demand', () => {
    expect([...importersOf('kafkajs'), ...importersOf('classic-level')]).to.deep.equal([]);
    const staticBackend = /^import [^(]*['"]@parley\/streams\/(kafka|embedded|leveldb)['"]/m;
    const offenders = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && staticBackend.test(fs.readFileSync(path.join(src, f), 'utf8')));
    expect(offenders).to.deep.equal([]);
  });

  it('knows no provider by name: only platform.ts imports the providers it hosts, everything else goes through registerProvider', () => {
    const providerSpecific = /\b(customProvider|chatPluginProvider|customSource|chatPluginSource|ChatPlugin\w*|CustomSource\w*|CHATPLUGIN_\w+|CUSTOM_\w+)\b/;
    const importStatements = (text: string) => text.match(/^(?:import|export)\b[^;]*?from\s*['"][^'"]+['"]/gms) ?? [];
    const offenders = (fs.readdirSync(src, { recursive: true }) as string[])
      .map((f) => f.split(path.sep).join('/'))
      .filter((f) => f.endsWith('.ts') && importStatements(fs.readFileSync(path.join(src, f), 'utf8')).some((statement) => providerSpecific.test(statement)));
    expect(offenders).to.deep.equal(['platform.ts']);
  });
});
