/**
 * Airy's schema registry (Karapace, with Confluent's REST API): `GET <url>/schemas/ids/<id>`
 * answers `{ "schema": "<the Avro schema as JSON text>" }`, 404 for an unknown id.
 */
import type { WriterSchemaLookup } from './airy-record-decoder.js';

const TIMEOUT_MS = 10_000;

/** The registry could not be asked, or answered something else than its API's JSON. */
export class AiryRegistryError extends Error {
  readonly code = 'AIRY_REGISTRY_UNAVAILABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AiryRegistryError';
  }
}

export function schemaRegistryLookup(url: string, fetchImpl: typeof fetch = globalThis.fetch): WriterSchemaLookup {
  const base = url.replace(/\/+$/, '');
  return async (schemaId) => {
    const address = `${base}/schemas/ids/${schemaId}`;
    let response: Response;
    try {
      response = await fetchImpl(address, { headers: { accept: 'application/vnd.schemaregistry.v1+json, application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      throw new AiryRegistryError(`cannot reach ${address}: ${(err as Error).message}`, { cause: err });
    }
    if (response.status === 404) return undefined;
    if (!response.ok) throw new AiryRegistryError(`${address} answered HTTP ${response.status}`);
    try {
      const body = (await response.json()) as { schema?: unknown };
      if (typeof body.schema !== 'string') throw new TypeError('no schema text');
      return JSON.parse(body.schema) as object;
    } catch (err) {
      throw new AiryRegistryError(`${address} did not answer { schema: "<Avro schema JSON>" }: ${(err as Error).message}`, { cause: err });
    }
  };
}
