import { z } from 'zod';
import { httpStatusForCode } from '../http/error-status.js';
import type { AnyRouteDefinition } from '../http/route-definition.js';

/** An OpenAPI 3.1 document (kept loose: it is data for clients and validators). */
export type OpenApiDocument = Record<string, unknown> & { openapi: '3.1.0'; paths: Record<string, unknown> };

export interface OpenApiOptions {
  /** Every RPC route served. */
  routes: readonly AnyRouteDefinition[];
  /** Providers with a webhook hook (listed in the `/webhooks/{provider}` description). */
  webhookProviders?: readonly string[];
  /** `info.version`. */
  version: string;
}

/** Codes any authenticated RPC route may answer, besides its own. */
const COMMON_ERRORS = [
  'RUNTIME_INVALID_JSON',
  'RUNTIME_JSON_TOO_DEEP',
  'RUNTIME_INVALID_UNICODE',
  'RUNTIME_INVALID_REQUEST',
  'RUNTIME_BODY_TOO_LARGE',
  'RUNTIME_REQUEST_TIMEOUT',
  'RUNTIME_UNSUPPORTED_MEDIA_TYPE',
  'RUNTIME_INTERNAL',
];
/** Codes of the webhook path: the HTTP layer's, and those the custom source's hook answers. */
const WEBHOOK_ERRORS = [
  'RUNTIME_NOT_FOUND',
  'RUNTIME_METHOD_NOT_ALLOWED',
  'RUNTIME_BODY_TOO_LARGE',
  'RUNTIME_REQUEST_TIMEOUT',
  'RUNTIME_UNSUPPORTED_MEDIA_TYPE',
  'RUNTIME_INVALID_REQUEST',
  'RUNTIME_INTERNAL',
  'SOURCES_TOKEN_INVALID',
  'SOURCES_INVALID_PAYLOAD',
  'SOURCES_SIGNATURE_INVALID',
  'SOURCES_LOG_UNAVAILABLE',
];
const AUTH_ERRORS = ['RUNTIME_UNAUTHORIZED', 'RUNTIME_FORBIDDEN', 'RUNTIME_SESSION_EXPIRED'];
const ERROR_REF = { $ref: '#/components/schemas/Error' };

const healthSchema = z.strictObject({ status: z.literal('ok'), checks: z.record(z.string(), z.string()) });
const readySchema = z.strictObject({ status: z.literal('ready'), checks: z.record(z.string(), z.string()) });

/**
 * The OpenAPI 3.1 document of a runtime, built from its route definitions: each route's request
 * schema (input side: defaults make fields optional) and response schema (output side: every
 * field present, nothing undeclared) as JSON Schema 2020-12, plus the shared error responses.
 */
export function buildOpenApiDocument(options: OpenApiOptions): OpenApiDocument {
  const paths: Record<string, unknown> = {
    '/health': { get: systemOperation('health', 'Liveness: the platform can process (its log takes appends, no streams application is failed or recovering)', healthSchema, ['RUNTIME_UNHEALTHY', 'RUNTIME_METHOD_NOT_ALLOWED']) },
    '/ready': { get: systemOperation('ready', 'Readiness: the log is open and every streams application is running', readySchema, ['RUNTIME_NOT_READY', 'RUNTIME_METHOD_NOT_ALLOWED']) },
    '/openapi.json': { get: { operationId: 'openapi', summary: 'This document', tags: ['system'], security: [], responses: { 200: { description: 'The OpenAPI document', content: json({ type: 'object' }) } } } },
    '/webhooks/{provider}': webhookPath(options.webhookProviders ?? []),
  };
  for (const route of options.routes) paths[`/${route.name}`] = { post: rpcOperation(route) };
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Parley API',
      version: options.version,
      description: 'RPC-style HTTP API: every endpoint is `POST /<resource>.<verb>` with a snake_case JSON body. Errors are `{ "message", "code" }`.',
    },
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The system token or an HS256 JWT' },
        ...routeSecuritySchemes(options.routes),
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['message', 'code'],
          properties: { message: { type: 'string' }, code: { type: 'string', pattern: '^[A-Z]+_[A-Z0-9_]+$' } },
          additionalProperties: false,
        },
      },
    },
  };
}

function rpcOperation(route: AnyRouteDefinition): Record<string, unknown> {
  const auth = route.auth !== false;
  const ownScheme = typeof route.auth === 'object' ? route.auth.scheme : undefined;
  const success =
    route.response === null
      ? { 204: { description: 'Done (no body)' } }
      : { [route.successStatus ?? 200]: { description: 'Success', content: json(jsonSchema(route.response, 'output')) } };
  return {
    operationId: route.name,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: [route.name.slice(0, route.name.lastIndexOf('.'))],
    ...(auth ? (ownScheme === undefined ? {} : { security: [{ [ownScheme]: [] }] }) : { security: [] }),
    requestBody: { required: false, content: { 'application/json': { schema: jsonSchema(route.request, 'input'), example: route.example }, ...multipartContent(route) } },
    responses: { ...success, ...errorResponses([...(auth ? AUTH_ERRORS : []), ...COMMON_ERRORS, ...(route.errors ?? [])]) },
  };
}

/** The `multipart/form-data` form of a route that takes one (RouteDefinition.multipart). */
function multipartContent(route: AnyRouteDefinition): Record<string, unknown> {
  const form = route.multipart;
  if (form === undefined) return {};
  const file = { type: 'string', format: 'binary', description: `The file (at most ${form.maxFileBytes} bytes); its part's Content-Type is \`${form.typeField}\` unless that field is sent` };
  const schema = { type: 'object', required: [form.fileField], properties: { [form.fileField]: file, [form.typeField]: { type: 'string', description: "The media type, overriding the file part's" } } };
  return { 'multipart/form-data': { schema, encoding: { [form.fileField]: { contentType: '*/*' } } } };
}

/** The security schemes of routes that check a token of their own. */
function routeSecuritySchemes(routes: readonly AnyRouteDefinition[]): Record<string, unknown> {
  const schemes: Record<string, unknown> = {};
  for (const route of routes) {
    if (typeof route.auth === 'object') schemes[route.auth.scheme] = { type: 'http', scheme: 'bearer', description: route.auth.description };
  }
  return schemes;
}

function systemOperation(operationId: string, summary: string, schema: z.ZodType, errors: string[]): Record<string, unknown> {
  return { operationId, summary, tags: ['system'], security: [], responses: { 200: { description: summary, content: json(jsonSchema(schema, 'output')) }, ...errorResponses(errors) } };
}

function webhookPath(providers: readonly string[]): Record<string, unknown> {
  const operation = (method: string) => ({
    operationId: `webhooks.${method}`,
    summary: `Inbound provider webhook (${method.toUpperCase()})`,
    description: `No token: the provider's hook verifies the provider's signature. Providers served: ${providers.length === 0 ? 'none yet' : providers.join(', ')}.`,
    tags: ['webhooks'],
    security: [],
    parameters: [{ name: 'provider', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' } }],
    responses: { default: { description: "The provider hook's answer" }, ...errorResponses(WEBHOOK_ERRORS) },
  });
  return { get: operation('get'), post: operation('post') };
}

/** One response per status, listing the codes that produce it. */
function errorResponses(codes: readonly string[]): Record<string, unknown> {
  const byStatus = new Map<number, string[]>();
  for (const code of new Set(codes)) {
    const status = httpStatusForCode(code) ?? 500;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].map(([status, list]) => [status, { description: list.join(', '), content: json(ERROR_REF) }]));
}

function json(schema: unknown): Record<string, unknown> {
  return { 'application/json': { schema } };
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}
