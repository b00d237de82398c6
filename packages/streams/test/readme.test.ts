import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('README', () => {
  it("shows the word-count example's code exactly as it is in examples/word-count", () => {
    const readme = fs.readFileSync(path.join(root, 'packages/streams/README.md'), 'utf8');
    const usage = readme.slice(readme.indexOf('<!-- usage:start'), readme.indexOf('<!-- usage:end -->'));
    const snippets = [...usage.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(snippets.length).to.be.greaterThan(0);
    const sources = ['topology.ts', 'run-on-embedded-log.ts']
      .map((f) => fs.readFileSync(path.join(root, 'examples/word-count/src', f), 'utf8'))
      .join('\n');
    for (const snippet of snippets) expect(sources).to.include(snippet);
  });
});
