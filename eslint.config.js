// ESLint for the whole repository: typescript-eslint's recommended rules, plus the
// import-direction rules that keep the package graph pointing one way (see docs/architecture.md).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The boundaries (conventions C1, C2): which module specifiers a folder may not import.
 * `in` is the folder the rule covers, `except` the sub-folders where the import is the point.
 */
const BOUNDARIES = [
  { in: 'packages/streams/src', forbid: ['@parley/*', 'express'], why: '@parley/streams is a leaf: it knows no other Parley package and no HTTP framework.' },
  { in: 'schemas/src', forbid: ['@parley/*'], why: '@parley/schemas is a leaf.' },
  { in: 'packages/streams/src', except: ['packages/streams/src/log/kafka'], forbid: ['kafkajs'], why: 'kafkajs lives only in the Kafka log backend (src/log/kafka).' },
  { in: 'packages/streams/src', except: ['packages/streams/src/state/leveldb'], forbid: ['classic-level'], why: 'classic-level lives only in the LevelDB stores (src/state/leveldb).' },
  { in: 'packages/streams/src', except: ['packages/streams/src/serde/avro'], forbid: ['avsc'], why: 'avsc lives only in the Avro serde folder (src/serde/avro).' },
  { in: 'packages/streams/src/processor', forbid: ['**/dsl', '**/dsl/**'], why: 'The Processor API sits below the DSL: processor/ never imports dsl/.' },
  { in: 'packages/streams/src/state', forbid: ['**/dsl', '**/dsl/**'], why: 'Stores sit below the DSL: state/ never imports dsl/.' },
  { in: 'packages/communication/src', forbid: ['@parley/sources', '@parley/runtime', '@parley/cli', 'express'], why: 'The communication domain imports schemas and streams only: no provider, no runtime, no HTTP layer.' },
  { in: 'packages/sources/src', forbid: ['@parley/runtime', '@parley/cli', 'express'], why: 'Providers know the contract, streams and schemas, never the runtime that hosts them.' },
  { in: 'packages/ui/src', forbid: ['@parley/*', 'express'], why: '@parley/ui is a leaf: its Node side only says where the built assets are.' },
  { in: 'packages/ui/web', forbid: ['@parley/*', 'node:*'], why: 'The browser code talks to the runtime over HTTP and websockets only; it imports no Parley package and no Node module.' },
  { in: 'packages/runtime/src', forbid: ['@parley/cli'], why: 'The runtime never imports the CLI.' },
  { in: 'packages/runtime/src', except: ['packages/runtime/src/http'], forbid: ['express'], why: 'express lives only in the runtime HTTP layer (src/http).' },
  { in: 'packages/cli/src', forbid: ['@parley/streams', 'kafkajs', 'classic-level', 'express'], why: 'The CLI is a client: it never loads the streams library or a backend.' },
  { in: 'packages/cli/src', except: ['packages/cli/src/commands'], forbid: ['commander'], why: 'commander lives only in the CLI commands (src/commands).' },
];

/**
 * Flat config keeps only the last setting of a rule for a file, so each folder named above gets
 * one no-restricted-imports entry holding every boundary that applies to it (general folders first).
 */
function boundaryConfigs() {
  const folders = [...new Set(BOUNDARIES.flatMap((b) => [b.in, ...(b.except ?? [])]))].sort((a, b) => a.length - b.length);
  const inside = (folder, parent) => folder === parent || folder.startsWith(`${parent}/`);
  return folders.map((folder) => {
    const patterns = BOUNDARIES.filter((b) => inside(folder, b.in) && !(b.except ?? []).some((e) => inside(folder, e))).map((b) => ({
      group: b.forbid.flatMap((name) => (name.includes('*') ? [name] : [name, `${name}/*`])),
      message: b.why,
    }));
    return { files: [`${folder}/**/*.ts`, `${folder}/**/*.tsx`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
  });
}

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.services/**', '.scratch/**', '**/*.d.ts', '**/target/**', '.parley-data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  // The browser code (bundled by esbuild) runs in pages, not in Node.
  { files: ['packages/ui/web/**'], languageOptions: { globals: { ...globals.browser } } },
  // Tests may use `any` to feed deliberately wrong shapes into typed APIs.
  { files: ['**/test/**', 'bench/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // Type tests declare values only to check the types inferred for them.
  { files: ['**/*.test-d.ts'], rules: { '@typescript-eslint/no-unused-vars': 'off' } },

  ...boundaryConfigs(),
);
