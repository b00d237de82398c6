import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createPlatform, defineRoute, exampleSources, paginatedSchema, paginationRequestShape, type Principal } from '../../src/index.js';
import type { OpenApiDocument } from '../../src/openapi/build-openapi-document.js';
import { renderApiMarkdown } from '../../src/openapi/render-api-markdown.js';

const docsFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'docs', 'api.md');

/** The platform `parley start` runs, as scripts/generate-api-docs.ts builds it (never started). */
function platform() {
  return createPlatform({ dataDir: path.join(os.tmpdir(), 'parley-api-docs'), sources: exampleSources() });
}

/** The `| code | status | meaning |` rows of the introduction. */
function errorRows(markdown: string): Map<string, { status: string; meaning: string }> {
  const rows = new Map<string, { status: string; meaning: string }>();
  for (const m of markdown.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (\d{3}) \| (.*) \|$/gm)) rows.set(m[1]!, { status: m[2]!, meaning: m[3]! });
  return rows;
}

/** Every error code the document's responses mention. */
function documentCodes(document: OpenApiDocument): Set<string> {
  return new Set(JSON.stringify(document.paths).match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? []);
}

describe('OpenAPI > API docs', () => {
  it('docs/api.md is what the OpenAPI document renders to', () => {
    const expected = renderApiMarkdown(platform().openApiDocument());
    const actual = fs.existsSync(docsFile) ? fs.readFileSync(docsFile, 'utf8') : '';
    if (actual === expected) return;
    const a = actual.split('\n');
    const e = expected.split('\n');
    const line = e.findIndex((text, i) => a[i] !== text);
    expect.fail(
      `docs/api.md is out of date: run \`npm run docs:api\` and commit the result.\n` +
        `First difference at line ${line + 1}:\n  docs/api.md: ${JSON.stringify(a[line])}\n  expected:    ${JSON.stringify(e[line])}`,
    );
  });

  it('has a section for every operation of the document, each linked from the endpoint list', () => {
    const document = platform().openApiDocument();
    const markdown = renderApiMarkdown(document);
    const operations = Object.entries(document.paths).flatMap(([p, item]) => Object.keys(item as object).map((method) => `${method.toUpperCase()} ${p}`));
    expect(operations.length).to.be.greaterThan(30);
    for (const operation of operations) {
      expect(markdown, operation).to.include(`\n### \`${operation}\`\n`);
      const anchor = `#${operation.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')}`;
      expect(markdown, `link to ${operation}`).to.include(`](${anchor})`);
    }
  });

  it('explains every error code the document mentions, with the status of the runtime error table', () => {
    const document = platform().openApiDocument();
    const rows = errorRows(renderApiMarkdown(document));
    for (const code of documentCodes(document)) {
      const hint = `${code}: give it a meaning in ERROR_MEANINGS (src/openapi/render-api-markdown.ts)`;
      expect(rows.get(code), hint).to.not.equal(undefined);
      expect(rows.get(code)!.meaning, hint).to.not.match(/^See the endpoints/);
    }
    expect(rows.get('RUNTIME_UNAUTHORIZED')?.status).to.equal('401');
    expect(rows.get('RUNTIME_METHOD_NOT_ALLOWED')?.status, 'answered by any path, though no operation lists it').to.equal('405');
  });

  it('picks up a route registered on the platform: fields, defaults, its own auth scheme, example and errors', () => {
    const runtime = platform();
    const scoped: Principal = { kind: 'scoped', scheme: 'widgetToken', id: 'w', attributes: {} };
    runtime.registerRoute(
      defineRoute({
        name: 'widgets.list',
        summary: 'Lists widgets',
        auth: { scheme: 'widgetToken', description: 'A widget token', authenticate: async () => scoped },
        request: z.object({ owner: z.string().min(1).describe('Whose widgets'), sizes: z.array(z.enum(['s', 'm'])).default([]), ...paginationRequestShape }),
        response: paginatedSchema(z.strictObject({ id: z.string(), parts: z.array(z.strictObject({ name: z.string().nullable() })) })),
        errors: ['RUNTIME_NOT_FOUND'],
        example: { owner: "O'Brien" },
        handler: () => ({ data: [], pagination_data: { previous_cursor: null, next_cursor: null, total: 0 } }),
      }),
    );
    const markdown = renderApiMarkdown(runtime.openApiDocument());
    const section = markdown.slice(markdown.indexOf('### `POST /widgets.list`'), markdown.indexOf('\n## ', markdown.indexOf('### `POST /widgets.list`')));
    expect(section).to.include('| `owner` | string (non-empty) | yes | Whose widgets |');
    expect(section).to.include('| `sizes` | (`s` \\| `m`)[] | no, default `[]` |');
    expect(section).to.include('| `page_size` | integer (1–1000) | no, default `20` |');
    expect(section).to.include('| `data[].parts[].name` | string \\| null |');
    expect(section).to.include('**Auth:** A widget token (`widgetToken`).');
    expect(section).to.include(`-H "Authorization: Bearer $WIDGET_TOKEN"`);
    expect(section).to.include(`-d '{"owner":"O'\\''Brien"}'`);
    expect(section).to.include('**Errors:** the common ones, and 404 `RUNTIME_NOT_FOUND`.');
    expect(markdown).to.match(/Paginated: [^\n]*`widgets\.list`/);
  });

  it('renders the same text whatever the order of the paths in the document', () => {
    const document = platform().openApiDocument();
    const reversed = { ...document, paths: Object.fromEntries(Object.entries(document.paths).reverse()) } as OpenApiDocument;
    expect(Object.keys(reversed.paths)[0]).to.not.equal(Object.keys(document.paths)[0]);
    expect(renderApiMarkdown(reversed)).to.equal(renderApiMarkdown(document));
  });
});
