/**
 * docs/api.md, rendered from the OpenAPI document alone (so the reference cannot drift from the
 * routes): the conventions every endpoint shares, then one section per operation grouped by
 * resource. `npm run docs:api` writes it; `test/openapi/api-docs.test.ts` fails when it is stale.
 * Output is deterministic: groups and operations are sorted, fields keep their schema order.
 */
import { httpStatusForCode } from '../http/error-status.js';
import type { OpenApiDocument } from './build-openapi-document.js';
import { asSchema, fieldRows, range, resolve, typeOf, type Schema } from './json-schema-fields.js';

/** One operation of the document, with what the renderer needs next to it. */
interface Operation {
  method: string;
  path: string;
  group: string;
  op: Schema;
}

/** What each code means to an API client; the status comes from the runtime's error table. */
const ERROR_MEANINGS: Readonly<Record<string, string>> = {
  RUNTIME_INVALID_JSON: 'The body is not JSON (an object or an array).',
  RUNTIME_JSON_TOO_DEEP: 'The JSON body nests objects and arrays deeper than 64 levels (the root is level 1).',
  RUNTIME_INVALID_UNICODE: 'The body is not well-formed UTF-8, or a JSON string or key holds a lone surrogate (`\\ud800`): bodies must be I-JSON (RFC 7493).',
  RUNTIME_REQUEST_TIMEOUT: 'The body did not arrive within `http.bodyTimeoutMs` (30 s by default); the connection is closed.',
  RUNTIME_INVALID_REQUEST: 'The body does not match the request schema; the message names the field.',
  RUNTIME_INVALID_CURSOR: 'A pagination cursor this API did not issue (or one of another list).',
  RUNTIME_UNAUTHORIZED: 'No `Authorization: Bearer <token>` header and no login session cookie (the answer carries `WWW-Authenticate: Bearer`).',
  RUNTIME_FORBIDDEN: "The token is not accepted: neither the system token nor a valid JWT (bad signature, expired, no `sub`), or not a token of the route's own scheme; or a request authenticated by the session cookie that is not `Content-Type: application/json` or comes from another site (CSRF).",
  RUNTIME_LOGIN_FAILED: '`auth.login` or `auth.setup`: the email and password do not match an account (one answer for an unknown email and a wrong password), or the setup token is not the one printed at start.',
  RUNTIME_SESSION_EXPIRED: 'The login session (the `parley_session` cookie, or a token from `auth.login`) has expired, was logged out, or its user was deleted: log in again.',
  RUNTIME_NOT_FOUND: 'No such endpoint or webhook provider, or an id named in the request is unknown.',
  RUNTIME_TOPOLOGY_UNKNOWN: 'No topology of that name runs in this process.',
  RUNTIME_METHOD_NOT_ALLOWED: 'The path exists for another method; the `Allow` header names it.',
  RUNTIME_TOPOLOGY_FAILED: 'A topology application could not start (a reprocess shadow or a promoted version); the runtime log says why.',
  RUNTIME_REPROCESS_NOT_FOUND: 'No reprocess of that topology (or none at all) is in progress: start one with `reprocess.start`.',
  RUNTIME_REPROCESS_CONFLICT: 'The reprocess is not in a phase for this call (not caught up, already promoted, another version in progress).',
  RUNTIME_REPROCESS_MODULE_INVALID: 'The topology module cannot be loaded or exports no usable topology definition.',
  RUNTIME_STATE: 'The thing named is not in a state for this call (a disconnected channel, a message that did not fail).',
  RUNTIME_NOT_SUPPORTED: "The entity's provider cannot do this (a refetch of a conversation whose source fetches no contact profiles).",
  RUNTIME_MEDIA_STORE_FAILED: 'The S3-compatible media store refused or failed the request (bad credentials, a missing bucket, unreachable): the message names its error code; nothing was stored.',
  RUNTIME_BODY_TOO_LARGE: "The body is larger than `http.bodyLimitBytes` (1 MiB by default; `media.upload`: 8 MiB files), or a multipart form's file is over its limit: refused as soon as that is known (declared length, or at the limit while streaming); the connection is closed.",
  RUNTIME_UNSUPPORTED_MEDIA_TYPE: 'The body is not UTF-8, or its content encoding is not gzip, deflate or br, or it is `multipart/form-data` on a route that takes JSON only.',
  RUNTIME_INTERNAL: 'Anything without a known code. The message is only `internal error`; the stack goes to the log.',
  RUNTIME_NOT_READY: 'Still starting (the read model is loading), not ready (`GET /ready`), recovering from a failure, or refusing writes while the log refuses appends. Retry after the `Retry-After` header (seconds).',
  RUNTIME_UNHEALTHY: '`GET /health`: the platform cannot process (the log refuses appends, or a streams application is recovering or stopped). Carries `Retry-After`.',
  RUNTIME_UI_NOT_BUILT: 'A page of the inbox (`/ui/`) or the chat widget (`/widget/`), but the browser assets were never built (`npm run build:ui`).',
  STREAMS_TOPIC_NOT_FOUND: 'The topic does not exist.',
  STREAMS_PARTITION_NOT_FOUND: 'The partition does not exist.',
  STREAMS_BROKER_UNAVAILABLE: 'The Kafka cluster does not answer. Retry.',
  STREAMS_LOG_NOT_OPEN: 'The log is closed (the runtime is stopping).',
  STREAMS_APP_STATE: 'A streams application is not running.',
  SOURCES_SIGNATURE_INVALID: "The provider's signature does not match the body.",
  SOURCES_TOKEN_MISSING: 'No `Authorization: Bearer <source token>` header on `sources.webhook` (the answer carries `WWW-Authenticate: Bearer`).',
  SOURCES_TOKEN_INVALID: 'The source token is not valid: malformed, of an unknown or deleted source, or with a wrong secret. Checked before the body is read.',
  SOURCES_SOURCE_NOT_FOUND: 'No custom source with that id.',
  SOURCES_CHANNEL_NOT_FOUND: 'No such channel of that source.',
  SOURCES_SOURCE_EXISTS: 'A custom source with that id already exists.',
  SOURCES_SOURCE_ID_INVALID: 'The source id is malformed, reserved, or begins with another source name.',
  SOURCES_INVALID_PAYLOAD: 'The payload is invalid: not JSON, too deep, not well-formed Unicode, or a field the request schema cannot check (a metadata key, an action endpoint); the message names it. Nothing is stored.',
  SOURCES_LOG_UNAVAILABLE: 'The log did not accept the write. Retry.',
  SOURCES_PROVIDER_API_FAILED: 'A provider API (Viber, …) refused a management call or could not be reached; the message says which. Retry, or fix the provider credentials.',
  SOURCES_DELIVERY_FAILED: "A call to the provider's API failed (e.g. registering a webhook); the message says why.",
};

/** Groups rendered after the RPC resources, in this order. */
const TRAILING_GROUPS = ['webhooks', 'system'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** The API reference (Markdown) of an OpenAPI 3.1 document as `buildOpenApiDocument` makes it. */
export function renderApiMarkdown(document: OpenApiDocument): string {
  const operations = listOperations(document);
  const groups = groupOperations(operations);
  const common = commonCodes(operations);
  const out: string[] = [];
  out.push(...intro(document, operations, common));
  out.push('## Endpoints', '');
  for (const [group, ops] of groups) out.push(`- **${group}**: ${ops.map((o) => `[\`${isRpc(o) ? o.path.slice(1) : `${o.method.toUpperCase()} ${o.path}`}\`](#${anchor(heading(o))})`).join(', ')}`);
  out.push('');
  for (const [group, ops] of groups) {
    out.push(`## ${group}`, '');
    for (const o of ops) out.push(...operationSection(document, o, common));
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

// ---------------------------------------------------------------------------------------------
// Introduction

function intro(document: OpenApiDocument, operations: readonly Operation[], common: ReadonlySet<string>): string[] {
  const info = (document.info ?? {}) as Schema;
  const schemes = securitySchemes(document);
  const publicOps = operations.filter((o) => requirementsOf(document, o).length === 0).map((o) => `\`${o.method.toUpperCase()} ${o.path}\``);
  const paginated = operations.filter((o) => hasPagination(successSchema(document, o)?.schema)).map((o) => `\`${o.path.slice(1)}\``);
  const pageSize = findProperty(operations.map((o) => requestSchema(document, o)), 'page_size');
  const pageSizeText = pageSize === undefined ? '' : ` (${range(pageSize, '')}${pageSize.default === undefined ? '' : `, default ${String(pageSize.default)}`})`;
  return [
    '# API reference',
    '',
    '<!-- Generated by `npm run docs:api` from the OpenAPI document (`GET /openapi.json`); do not edit by hand. -->',
    '',
    `${String(info.title ?? 'API')} ${String(info.version ?? '')}`.trim() + `, OpenAPI ${document.openapi}. The running platform serves the same document at \`GET /openapi.json\`.`,
    '',
    '## Conventions',
    '',
    '**RPC style.** Every endpoint is `POST /<resource>.<verb>` with a JSON body in snake_case. The body is read as JSON',
    'whatever the `Content-Type` (so `curl -d` works without a header); an empty body is `{}`; fields the schema does not',
    'name are ignored. Answers are JSON, checked against the response schema on the way out: a field the contract does not',
    'declare never leaves the server. Ids of conversations, messages, channels, tags and templates are Parley ids (lowercase',
    'UUIDs); times are ISO-8601 UTC with milliseconds.',
    '',
    '**Coming from Airy Core?** [airy-compatibility.md](airy-compatibility.md) maps every Airy Core endpoint to its Parley',
    'equivalent and lists each difference with the reason.',
    '',
    'The examples below expect two shell variables (`parley start` prints the token on first start):',
    '',
    '```sh',
    'export PARLEY_URL=http://127.0.0.1:8080',
    'export PARLEY_TOKEN=$(cat .parley-data/auth/system-token)',
    '```',
    '',
    '**Auth.** Requests carry `Authorization: Bearer <token>`:',
    '',
    ...schemes.map(([name, scheme]) => `- \`${name}\`: ${String(scheme.description ?? `${String(scheme.scheme ?? scheme.type)} authentication`)}.`),
    '',
    'The system token is generated on first start into `<dataDir>/auth/system-token` (or set as `auth.systemToken`).',
    'A JWT is HS256, signed with the JWT secret (`<dataDir>/auth/jwt-secret` or `auth.jwtSecret`), and needs a `sub`',
    'claim; `exp` is checked when present. No token is a 401, a token that is not accepted a 403. With `auth.enabled: false`',
    `every request is let in. No token is needed for ${publicOps.length === 0 ? 'any endpoint' : publicOps.join(', ')}.`,
    '',
    `**Errors.** Every error is \`{ "message": "…", "code": "…" }\`: \`code\` is stable, \`message\` is for people and may change.`,
    'The status comes from one table in the runtime (`packages/runtime/src/http/error-status.ts`). Every `POST` endpoint that takes',
    `a token may answer the common codes (${[...common].sort().map((c) => `\`${c}\``).join(', ') || 'none'}); each section lists the others it answers.`,
    '',
    '| code | status | meaning |',
    '|---|---|---|',
    ...errorTable(operations).map(([code, status, meaning]) => `| \`${code}\` | ${status} | ${cell(meaning)} |`),
    '',
    `**Pagination.** List endpoints take \`cursor\` (omit it for the first page) and \`page_size\`${pageSizeText}, and answer`,
    '`{ "data": [...], "pagination_data": { "previous_cursor", "next_cursor", "total" } }`. Cursors are opaque; pass',
    '`next_cursor` (null on the last page) or `previous_cursor` (null on the first) back unchanged. `total` counts every',
    `item of the (filtered) list. Paginated: ${paginated.length === 0 ? 'none' : paginated.join(', ')}.`,
    '',
    '**Read-your-writes.** A write of the communication model (a conversation command, `messages.send`, `metadata.upsert`,',
    'a change of a channel, tag, template or contact) appends its records to the log, then waits until the communication read model',
    'has processed them and what they caused downstream, and only then answers: a read sent after the answer shows the write.',
    'The wait is bounded (5 s by default); past it the endpoint answers anyway (the write is in the log and will show',
    'shortly) and the runtime logs `communication.read_your_writes_timeout`. A command on a conversation that is not listed',
    'yet waits for it only while something in the log is still being processed (its first message may be on its way',
    "through a source's router and the read model), bounded the same way; when nothing is pending it answers 404 at once. Inbound provider",
    'messages are different: a webhook answers once the raw payload is in the log, and the conversation shows after the',
    "source's router and the read model have processed it, usually within milliseconds.",
    '',
  ];
}

/** [code, status, meaning] for every code the document mentions and every code with a known meaning. */
function errorTable(operations: readonly Operation[]): [string, string, string][] {
  const statuses = new Map<string, string>();
  for (const o of operations) for (const [status, codes] of errorCodes(o)) for (const code of codes) statuses.set(code, status);
  const codes = new Set([...statuses.keys(), ...Object.keys(ERROR_MEANINGS).filter((c) => c.startsWith('RUNTIME_'))]);
  const rows = [...codes].map((code): [string, string, string] => [code, String(httpStatusForCode(code) ?? statuses.get(code) ?? 500), ERROR_MEANINGS[code] ?? 'See the endpoints that answer it.']);
  return rows.sort((a, b) => compare(a[1], b[1]) || compare(a[0], b[0]));
}

// ---------------------------------------------------------------------------------------------
// One operation

function operationSection(document: OpenApiDocument, o: Operation, common: ReadonlySet<string>): string[] {
  const { op } = o;
  const out = [`### ${heading(o)}`, ''];
  if (typeof op.summary === 'string') out.push(`${op.summary}.`.replace(/\.\.$/, '.'), '');
  if (typeof op.description === 'string') out.push(op.description, '');
  out.push(`**Auth:** ${authText(document, o)}`, '');
  out.push(...parametersSection(op));
  const request = requestSchema(document, o);
  if (request !== undefined) {
    const rows = fieldRows(document, request, request, '', 0);
    out.push('**Request**', '');
    if (rows.length === 0) out.push('No fields: send `{}` or no body.', '');
    else out.push('| field | type | required | description |', '|---|---|---|---|', ...rows.map((r) => `| \`${r.name}\` | ${r.type} | ${r.required} | ${cell(r.description)} |`), '');
  }
  out.push(...curlExample(document, o));
  out.push(...responseSection(document, o));
  out.push(...errorsSection(o, common));
  return out;
}

function authText(document: OpenApiDocument, o: Operation): string {
  const requirements = requirementsOf(document, o);
  if (requirements.length === 0) return 'none.';
  const schemes = new Map(securitySchemes(document));
  const described = requirements.map((name) => {
    const description = schemes.get(name)?.description;
    return `${typeof description === 'string' ? description : 'a bearer token'} (\`${name}\`)`;
  });
  return `${described.join(', or ')}.`;
}

function parametersSection(op: Schema): string[] {
  const parameters = Array.isArray(op.parameters) ? (op.parameters as Schema[]) : [];
  if (parameters.length === 0) return [];
  return [
    '**Parameters**',
    '',
    '| name | in | type | required |',
    '|---|---|---|---|',
    ...parameters.map((p) => `| \`${String(p.name)}\` | ${String(p.in)} | ${typeOf(undefined, asSchema(p.schema), asSchema(p.schema), 0)} | ${p.required === true ? 'yes' : 'no'} |`),
    '',
  ];
}

function curlExample(document: OpenApiDocument, o: Operation): string[] {
  const auth = requirementsOf(document, o)[0];
  const header = auth === undefined ? '' : ` \\\n  -H "Authorization: Bearer $${tokenVariable(auth)}"`;
  const url = `"$PARLEY_URL${o.path}"`;
  if (o.method !== 'post' || requestSchema(document, o) === undefined) {
    if (o.path.includes('{')) return [];
    return ['```sh', `curl ${o.method === 'get' ? '' : `-X ${o.method.toUpperCase()} `}${url}${header}`, '```', ''];
  }
  const example = (((o.op.requestBody as Schema | undefined)?.content as Schema | undefined)?.['application/json'] as Schema | undefined)?.example ?? {};
  const compact = JSON.stringify(example);
  const body = compact.length <= 80 ? compact : JSON.stringify(example, null, 2);
  const json = `curl -X POST ${url}${header} \\\n  -d '${body.replace(/'/g, "'\\''")}'`;
  return ['```sh', json, ...multipartCurl(o, url, header), '```', ''];
}

/** The same call as a `multipart/form-data` form (`curl -F`), for a route that takes one: its binary parts from a file. */
function multipartCurl(o: Operation, url: string, header: string): string[] {
  const schema = (((o.op.requestBody as Schema | undefined)?.content as Schema | undefined)?.['multipart/form-data'] as Schema | undefined)?.schema as Schema | undefined;
  const required = (schema?.required ?? []) as string[];
  const binary = required.filter((name) => ((schema?.properties as Record<string, Schema> | undefined)?.[name]?.format ?? '') === 'binary');
  if (binary.length === 0) return [];
  return ['# or as a multipart/form-data form', `curl -X POST ${url}${header} \\\n  ${binary.map((name) => `-F "${name}=@./${name}.png;type=image/png"`).join(' ')}`];
}

function responseSection(document: OpenApiDocument, o: Operation): string[] {
  const responses = (o.op.responses ?? {}) as Record<string, Schema>;
  const out: string[] = [];
  for (const status of Object.keys(responses).filter(isSuccess).sort()) {
    const response = responses[status]!;
    const schema = asSchema(((response.content as Schema | undefined)?.['application/json'] as Schema | undefined)?.schema);
    const label = status === 'default' ? 'Response' : `Response ${status}`;
    if (Object.keys(schema).length === 0) {
      out.push(`**${label}:** ${String(response.description ?? '')}.`.replace(/\.\.$/, '.'), '');
      continue;
    }
    const resolved = resolve(document, schema, schema);
    const rows = fieldRows(document, schema, resolved, '', 0);
    if (rows.length === 0) out.push(`**${label}:** ${typeOf(document, schema, resolved, 0)}.`, '');
    else out.push(`**${label}**`, '', '| field | type | description |', '|---|---|---|', ...rows.map((r) => `| \`${r.name}\` | ${r.type} | ${cell(r.description)} |`), '');
  }
  return out;
}

function errorsSection(o: Operation, common: ReadonlySet<string>): string[] {
  const all = errorCodes(o);
  // The common codes are left out only where the endpoint answers all of them (every RPC route).
  const withCommon = common.size > 0 && [...common].every((c) => all.some(([, codes]) => codes.includes(c)));
  const own = all.map(([status, codes]) => [status, withCommon ? codes.filter((c) => !common.has(c)) : codes] as const).filter(([, codes]) => codes.length > 0);
  const text = own.map(([status, codes]) => `${status} ${codes.map((c) => `\`${c}\``).join(', ')}`).join('; ');
  if (!withCommon) return [`**Errors:** ${own.length === 0 ? 'none' : text}.`, ''];
  return [`**Errors:** ${own.length === 0 ? 'the common ones only' : `the common ones, and ${text}`}.`, ''];
}

function listOperations(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = (item as Schema)[method] as Schema | undefined;
      if (op === undefined) continue;
      const tag = Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : path.slice(1).split(/[./]/)[0] ?? 'other';
      operations.push({ method, path, group: tag, op });
    }
  }
  // Sorted once here, so every list derived from it is in the same order whatever the document's.
  return operations.sort((a, b) => compare(a.path, b.path) || METHODS.indexOf(a.method) - METHODS.indexOf(b.method));
}

/** Groups sorted by name (TRAILING_GROUPS last); operations keep listOperations' order (path, then method). */
function groupOperations(operations: readonly Operation[]): [string, Operation[]][] {
  const groups = new Map<string, Operation[]>();
  for (const o of operations) groups.set(o.group, [...(groups.get(o.group) ?? []), o]);
  const rank = (g: string) => (TRAILING_GROUPS.includes(g) ? TRAILING_GROUPS.indexOf(g) + 1 : 0);
  return [...groups]
    .sort(([a], [b]) => rank(a) - rank(b) || compare(a, b));
}

/** Codes every POST operation may answer: listed once in the table, not per endpoint. */
function commonCodes(operations: readonly Operation[]): Set<string> {
  // Over the endpoints that take a token: a public one (chatplugin.authenticate) has no 401/403.
  const posts = operations.filter((o) => o.op.requestBody !== undefined && !(Array.isArray(o.op.security) && o.op.security.length === 0));
  const sets = posts.map((o) => new Set(errorCodes(o).flatMap(([, codes]) => codes)));
  const first = sets[0];
  if (first === undefined) return new Set();
  return new Set([...first].filter((code) => sets.every((s) => s.has(code))));
}

/** [status, codes] of an operation's error responses; `buildOpenApiDocument` lists the codes in each description. */
function errorCodes(o: Operation): [string, string[]][] {
  const responses = (o.op.responses ?? {}) as Record<string, Schema>;
  return Object.keys(responses)
    .filter((s) => !isSuccess(s))
    .sort()
    .map((status) => [status, String(responses[status]!.description ?? '').match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? []]);
}

function requestSchema(document: OpenApiDocument, o: Operation): Schema | undefined {
  const schema = (((o.op.requestBody as Schema | undefined)?.content as Schema | undefined)?.['application/json'] as Schema | undefined)?.schema;
  return schema === undefined ? undefined : resolve(document, schema as Schema, schema as Schema);
}

function successSchema(document: OpenApiDocument, o: Operation): { schema: Schema } | undefined {
  const responses = (o.op.responses ?? {}) as Record<string, Schema>;
  const status = Object.keys(responses).filter((s) => /^2\d\d$/.test(s)).sort()[0];
  const schema = status === undefined ? undefined : ((responses[status]!.content as Schema | undefined)?.['application/json'] as Schema | undefined)?.schema;
  return schema === undefined ? undefined : { schema: resolve(document, schema as Schema, schema as Schema) };
}

function hasPagination(schema: Schema | undefined): boolean {
  const properties = schema?.properties as Schema | undefined;
  return properties !== undefined && 'data' in properties && 'pagination_data' in properties;
}

function findProperty(schemas: readonly (Schema | undefined)[], name: string): Schema | undefined {
  for (const schema of schemas) {
    const property = (schema?.properties as Record<string, Schema> | undefined)?.[name];
    if (property !== undefined) return property;
  }
  return undefined;
}

/** The security scheme names an operation accepts ([] for a public one). */
function requirementsOf(document: OpenApiDocument, o: Operation): string[] {
  const requirements = (o.op.security ?? document.security ?? []) as Record<string, unknown>[];
  return [...new Set(requirements.flatMap((r) => Object.keys(r)))];
}

function securitySchemes(document: OpenApiDocument): [string, Schema][] {
  const schemes = ((document.components as Schema | undefined)?.securitySchemes ?? {}) as Record<string, Schema>;
  return Object.entries(schemes).sort(([a], [b]) => compare(a, b));
}

// ---------------------------------------------------------------------------------------------
// Markdown details

/** `POST /<resource>.<verb>` with a JSON body. */
function isRpc(o: Operation): boolean {
  return o.method === 'post' && /^\/[^/{}]+$/.test(o.path) && o.op.requestBody !== undefined;
}

function heading(o: Operation): string {
  return `\`${o.method.toUpperCase()} ${o.path}\``;
}

/** GitHub's heading anchor: lowercase, punctuation other than `-` and `_` dropped, spaces to dashes. */
function anchor(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** `bearerAuth` → PARLEY_TOKEN; another scheme `sourceToken` → SOURCE_TOKEN. */
function tokenVariable(scheme: string): string {
  if (scheme === 'bearerAuth') return 'PARLEY_TOKEN';
  const snake = scheme.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  return snake.endsWith('TOKEN') ? snake : `${snake}_TOKEN`;
}

/** Text safe inside a table cell. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isSuccess(status: string): boolean {
  return status === 'default' || /^[123]\d\d$/.test(status);
}

