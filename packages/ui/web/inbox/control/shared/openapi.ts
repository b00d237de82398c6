import { useEffect, useState } from 'preact/hooks';

/**
 * The runtime's own OpenAPI document (`GET /openapi.json`, no token): it lists the routes this
 * runtime registered, so it says which providers are configured (a provider registers its
 * `channels.<source>.connect` route only when configured) and what each route's request holds.
 */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  description?: string;
  default?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  /** The request field this one is another name for (Airy's names in the Source API). */
  'x-alias-of'?: string;
  anyOf?: JsonSchema[];
}

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  requestBody?: { content?: { 'application/json'?: { schema?: JsonSchema } } };
}

export interface OpenApiDocument {
  paths: Record<string, { post?: Operation } | undefined>;
}

/** One route as the document describes it. */
export interface RouteDoc {
  name: string;
  summary: string;
  description: string | undefined;
  request: JsonSchema;
}

let cached: Promise<OpenApiDocument> | undefined;

/** The document, fetched once per page. */
export function loadOpenApi(): Promise<OpenApiDocument> {
  cached ??= fetch('/openapi.json').then(async (res) => {
    if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`);
    return (await res.json()) as OpenApiDocument;
  });
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

export function useOpenApi(): { doc: OpenApiDocument | undefined; failure: string | undefined } {
  const [doc, setDoc] = useState<OpenApiDocument | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  useEffect(() => {
    loadOpenApi().then(setDoc, (err: unknown) => setFailure(err instanceof Error ? err.message : String(err)));
  }, []);
  return { doc, failure };
}

/** The POST route `name`, or undefined when this runtime does not serve it. */
export function routeDoc(doc: OpenApiDocument, name: string): RouteDoc | undefined {
  const operation = doc.paths[`/${name}`]?.post;
  if (operation === undefined) return undefined;
  return { name, summary: operation.summary ?? name, description: operation.description, request: operation.requestBody?.content?.['application/json']?.schema ?? {} };
}

/** Every route named `<prefix><something><suffix>`, e.g. `channels.` … `.connect`, by that something. */
export function routesMatching(doc: OpenApiDocument, prefix: string, suffix: string): Map<string, RouteDoc> {
  const found = new Map<string, RouteDoc>();
  for (const path of Object.keys(doc.paths)) {
    const name = path.slice(1);
    if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length <= prefix.length + suffix.length) continue;
    const route = routeDoc(doc, name);
    if (route !== undefined) found.set(name.slice(prefix.length, name.length - suffix.length), route);
  }
  return found;
}
