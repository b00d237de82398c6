import { CliError, RuntimeRequestError } from './errors.js';

/**
 * The HTTP contract the CLI relies on (a subset of the runtime's OpenAPI document). These are
 * written out here, not imported, because the CLI must not depend on the runtime's code.
 */
export interface AppStatus {
  name: string;
  application_id: string;
  /** shadow: a reprocess running beside the live version. */
  role: 'live' | 'shadow';
  state: 'created' | 'restoring' | 'running' | 'error' | 'closed';
  processed_records: number;
  lag: number;
  partitions: Array<{ topic: string; partition: number; processed_offset: number; end_offset: number; lag: number }>;
}

export interface AppsStatusResponse {
  data: AppStatus[];
}

/** What `parley status` reports of `GET /ready`. */
export type Health = { status: 'ready'; checks: Record<string, string> } | { status: 'not ready'; message: string };

export interface TopicPartitionInfo {
  partition: number;
  beginning_offset: number;
  end_offset: number;
}

export interface TopicInfo {
  name: string;
  cleanup_policy: 'delete' | 'compact';
  retention_ms: number;
  partitions: TopicPartitionInfo[];
}

export interface TopicDescription extends TopicInfo {
  stored_records: number;
}

export interface TopicsListResponse {
  data: TopicInfo[];
  pagination_data: { previous_cursor: string | null; next_cursor: string | null; total: number };
}

/** A key or value as the runtime decoded it. */
export interface DecodedBytes {
  encoding: 'null' | 'avro' | 'json' | 'string' | 'base64';
  data: unknown;
  schema?: string;
}

export interface TopicRecord {
  partition: number;
  offset: number;
  timestamp: number;
  key: DecodedBytes;
  value: DecodedBytes;
  headers: Record<string, string>;
}

export interface Position {
  partition: number;
  offset: number;
}

export interface TopicsReadRequest {
  name: string;
  from?: 'earliest' | 'latest' | number;
  positions?: Position[];
  max_records?: number;
}

export interface TopicsReadResponse {
  data: TopicRecord[];
  positions: Position[];
  caught_up: boolean;
}

export interface TopicsProduceRequest {
  name: string;
  records: Array<{ key: string | null; value: unknown; partition?: number; timestamp?: number; headers?: Record<string, string> }>;
  /** Keys and string values are base64 bytes (binary values such as Avro records). */
  base64?: boolean;
  create?: boolean;
}

export interface ClientConfigResponse {
  version: string;
  sources: Record<string, { enabled: boolean }>;
  features: { auth: boolean; log_backend: 'embedded' | 'kafka'; webhooks: string[] };
  topologies: string[];
}

/** One input of a reprocess shadow (`reprocess.status`). */
export interface ReprocessInput {
  topic: string;
  processed: number;
  end: number;
  lag: number;
  rate: number | null;
  eta_seconds: number | null;
}

export interface ReprocessStatus {
  topology: string;
  generation: number;
  phase: 'running' | 'promoting' | 'promoted';
  application_id: string;
  previous_application_id: string;
  module: string | null;
  from: 'earliest' | number;
  started_at: number;
  promoted_at: number | null;
  state: AppStatus['state'] | 'stopped';
  caught_up: boolean;
  lag: number;
  inputs: ReprocessInput[];
  outputs: Array<{ topic: string; shadow_topic: string; keyed: boolean }>;
}

export interface ReprocessOutputDiff {
  topic: string;
  shadow_topic: string;
  keyed: boolean;
  shadow_records: number;
  added: number | null;
  removed: number | null;
  changed: number | null;
  unchanged: number | null;
  samples: Array<{ kind: 'added' | 'removed' | 'changed'; key: DecodedBytes; before: DecodedBytes; after: DecodedBytes }>;
}

export interface ReprocessDiffResponse {
  topology: string;
  generation: number;
  caught_up: boolean;
  outputs: ReprocessOutputDiff[];
}

export interface ReprocessPromoteResponse {
  reprocess: ReprocessStatus;
  applied: Record<string, number>;
  settled: boolean;
}

export interface ReprocessRollbackResponse {
  topology: string;
  generation: number;
  applied: Record<string, number>;
  settled: boolean;
}

export interface ReprocessEndResponse {
  topology: string;
  generation: number;
  removed_application_id: string;
}

export interface RuntimeClientOptions {
  /** Base URL of the runtime (`http://127.0.0.1:8080`). */
  url: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string | undefined;
  /** Per request, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** Default globalThis.fetch. */
  fetch?: typeof fetch;
}

/** A typed client of the runtime's HTTP API (`POST /<resource>.<verb>`). */
export class RuntimeClient {
  readonly url: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: RuntimeClientOptions) {
    if (typeof options?.url !== 'string' || !/^https?:\/\//.test(options.url)) throw new TypeError('RuntimeClient needs an http(s) url');
    this.url = options.url.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** `GET /health`. */
  health(): Promise<{ status: 'ok' }> {
    return this.#request('GET', '/health');
  }

  /** `GET /ready`: 503 RUNTIME_NOT_READY (a RuntimeRequestError) when a check fails. */
  ready(): Promise<{ status: 'ready'; checks: Record<string, string> }> {
    return this.#request('GET', '/ready');
  }

  topicsList(body: { cursor?: string; page_size?: number; name_prefix?: string } = {}): Promise<TopicsListResponse> {
    return this.call('topics.list', body);
  }

  topicsDescribe(name: string): Promise<TopicDescription> {
    return this.call('topics.describe', { name });
  }

  topicsRead(body: TopicsReadRequest): Promise<TopicsReadResponse> {
    return this.call('topics.read', body);
  }

  topicsProduce(body: TopicsProduceRequest): Promise<{ offsets: Position[] }> {
    return this.call('topics.produce', body);
  }

  topicsDelete(name: string): Promise<{ deleted: boolean }> {
    return this.call('topics.delete', { name, confirm: name });
  }

  tokensCreate(body: { subject: string; expires_in_seconds?: number }): Promise<{ token: string; subject: string; expires_at: number | null }> {
    return this.call('tokens.create', body);
  }

  /** `POST /apps.status`: each streams application's state and lag. */
  appsStatus(body: { name?: string } = {}): Promise<AppsStatusResponse> {
    return this.call('apps.status', body);
  }

  /** `POST /client.config`. */
  clientConfig(): Promise<ClientConfigResponse> {
    return this.call('client.config', {});
  }

  /** Any RPC route; the runtime's error answers throw RuntimeRequestError. */
  call<TResponse>(route: string, body: object = {}): Promise<TResponse> {
    return this.#request('POST', `/${route}`, body);
  }

  async #request<TResponse>(method: 'GET' | 'POST', path: string, body?: object): Promise<TResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    const send = () =>
      this.#fetch(this.url + path, {
        method,
        headers,
        signal: AbortSignal.timeout(this.#timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    let res: Response;
    try {
      res = await send().catch((cause: unknown) => {
        // A kept-alive connection the runtime closed while this process was busy (its timer could
        // not run) fails before the request is read: one new attempt on a fresh connection.
        if (STALE_CONNECTION.has(errorCode(cause))) return send();
        throw cause;
      });
    } catch (cause) {
      const why = errorCode(cause);
      throw new CliError('CLI_RUNTIME_UNREACHABLE', `cannot reach the runtime at ${this.url} (${why}): is \`parley start\` running?`, { cause });
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text.length === 0 ? undefined : JSON.parse(text);
    } catch (cause) {
      throw new CliError('CLI_INVALID_RESPONSE', `${method} ${path} answered ${res.status} with a body that is not JSON`, { cause });
    }
    if (!res.ok) {
      const error = json as { message?: unknown; code?: unknown } | undefined;
      if (typeof error?.code === 'string' && typeof error.message === 'string') throw new RuntimeRequestError(res.status, error.code, error.message);
      throw new CliError('CLI_INVALID_RESPONSE', `${method} ${path} answered ${res.status} without an error body`);
    }
    return json as TResponse;
  }
}

const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function errorCode(cause: unknown): string {
  return (cause as { cause?: { code?: string } })?.cause?.code ?? (cause as Error)?.name ?? 'error';
}
