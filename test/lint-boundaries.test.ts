import { expect } from 'chai';
import { ESLint } from 'eslint';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// The import-direction rules of eslint.config.js, fed a forbidden and an allowed import each, so a
// rule that stops matching (a moved folder, a typo in a glob) fails here instead of passing silently.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(file: string, specifier: string): Promise<number> {
  const [result] = await eslint.lintText(`import '${specifier}';\n`, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

const CASES: Array<[file: string, specifier: string, forbidden: boolean]> = [
  ['packages/streams/src/index.ts', '@parley/schemas', true],
  ['packages/streams/src/app/streams-app.ts', 'kafkajs', true],
  ['packages/streams/src/log/kafka/kafka-log.ts', 'kafkajs', false],
  ['packages/streams/src/app/streams-app.ts', 'classic-level', true],
  ['packages/streams/src/state/leveldb/leveldb-stores.ts', 'classic-level', false],
  ['packages/streams/src/dsl/k-stream.ts', 'avsc', true],
  ['packages/streams/src/serde/avro/avro-serde.ts', 'avsc', false],
  ['packages/streams/src/processor/topology.ts', '../dsl/windowed.js', true],
  ['packages/streams/src/state/typed/typed-session-store.ts', '../../dsl/windowed.js', true],
  ['packages/streams/src/dsl/k-stream.ts', '../state/window.js', false],
  ['schemas/src/index.ts', '@parley/streams', true],
  ['packages/communication/src/index.ts', '@parley/sources', true],
  ['packages/communication/src/index.ts', '@parley/streams', false],
  ['packages/sources/src/index.ts', '@parley/runtime', true],
  ['packages/sources/src/index.ts', '@parley/communication', false],
  ['packages/runtime/src/platform.ts', 'express', true],
  ['packages/runtime/src/http/create-http-app.ts', 'express', false],
  ['packages/runtime/src/index.ts', '@parley/cli', true],
  ['packages/cli/src/index.ts', '@parley/streams', true],
  ['packages/cli/src/index.ts', 'commander', true],
  ['packages/cli/src/commands/program.ts', 'commander', false],
];

describe('Repository > lint boundaries', function () {
  this.timeout(30_000);
  for (const [file, specifier, forbidden] of CASES) {
    it(`${forbidden ? 'refuses' : 'allows'} ${specifier} in ${file}`, async () => {
      expect(await restrictedImports(file, specifier)).to.equal(forbidden ? 1 : 0);
    });
  }
});
