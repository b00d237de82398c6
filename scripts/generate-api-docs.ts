/**
 * `npm run docs:api`: writes docs/api.md, the API reference, from the OpenAPI document of the
 * platform `parley start` runs (createPlatform with every provider configured by its
 * `exampleConfig`: every route Parley ships). The rendering lives in @parley/runtime (`render-api-markdown.ts`), shared with
 * the test that fails when docs/api.md is out of date. Nothing is started and nothing is written
 * besides docs/api.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderApiMarkdown } from '../packages/runtime/src/openapi/render-api-markdown.js';
import { createPlatform, exampleSources } from '../packages/runtime/src/platform.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'docs', 'api.md');

// The data directory is only named: openApiDocument() needs no started runtime. Every provider
// that needs credentials is configured with its example section, so its routes are documented.
const document = createPlatform({ dataDir: path.join(os.tmpdir(), 'parley-api-docs'), sources: exampleSources() }).openApiDocument();
const markdown = renderApiMarkdown(document);
const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
fs.writeFileSync(target, markdown);
process.stdout.write(`${path.relative(root, target)}: ${before === markdown ? 'unchanged' : 'written'} (${Object.keys(document.paths).length} paths)\n`);
