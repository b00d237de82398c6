/**
 * The contract every provider folder (`src/<provider>/`) fulfils (C3). A provider is four parts
 * around one raw topic:
 *
 *   provider ──HTTP──▶ webhook handler ──append raw body──▶ source.<provider>.events
 *   source.<provider>.events ──router topology──▶ Message + Metadata records (deterministic ids)
 *   PENDING outbound Messages ──connector──▶ provider API ──▶ DELIVERED / FAILED (+ metadata)
 *
 * Everything here is framework-free: webhook handlers take and return plain objects (the runtime
 * adapts them to its HTTP layer), topologies are `@parley/streams` Topologies (tested with the
 * TopologyTestDriver, run by a StreamsApp).
 */
import type { Log, NewTopic, StreamsAppOptions, Topology } from '@parley/streams';
import type { z } from 'zod';
import { SourcesError } from './errors.js';

/** Request headers as Node gives them (lowercase names). */
export type WebhookHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** An inbound provider request, as a framework-free webhook handler sees it. */
export interface WebhookRequest {
  method: 'GET' | 'POST';
  /** Lowercase header names. */
  headers: WebhookHeaders;
  query: Readonly<Record<string, string | string[] | undefined>>;
  /** The body exactly as received (empty for GET): signatures are computed over these bytes. */
  rawBody: Buffer;
}

/**
 * What the provider gets back. Client errors are answers, not exceptions: the body is the API's
 * error shape `{ message, code }` with a `SOURCES_*` code, so a handler works under any HTTP layer.
 */
export interface WebhookResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as text/plain (unless `headers` name a content-type), anything else as JSON; undefined sends no body. */
  body?: unknown;
}

/** A framework-free webhook handler. It answers 2xx only after the log accepted the raw payload. */
export type WebhookHandler = (request: WebhookRequest) => Promise<WebhookResponse>;

/**
 * A topology a source contributes, in the shape the runtime's `TopologyDefinition` takes: the
 * runtime creates `topics` (if missing) and runs `build()` as one StreamsApp.
 */
export interface SourceTopology {
  /** Short unique name (`custom-router`). */
  name: string;
  /** The StreamsApp's application id: consumer group, internal topic prefix, state directory. */
  applicationId: string;
  /** Topics the topology reads or writes, created before it starts. */
  topics: NewTopic[];
  build(): Topology;
  /** Further StreamsApp options (e.g. `startFrom`). */
  appOptions?: Omit<StreamsAppOptions, 'applicationId' | 'log' | 'stateDir'>;
}

/** What a source gets when it is instantiated for one running platform. */
export interface SourceContext<TConfig> {
  /** The source's configuration section, already validated by `configSchema`. */
  config: TConfig;
  /** The log webhook handlers append to and management functions read from. */
  log: Log;
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
}

/** One source instantiated for a running platform: its webhook and its two topologies. */
export interface SourceInstance {
  /**
   * The provider webhook, registered by the provider at `/webhooks/<name>`. None for providers
   * whose inbound side is API routes (custom sources' `sources.webhook`, the chat plugin's
   * `chatplugin.send`).
   */
  readonly webhook?: WebhookHandler;
  /** Raw events → Message + Metadata records. */
  readonly router: SourceTopology;
  /** PENDING outbound messages → provider API → DELIVERED / FAILED. */
  readonly connector: SourceTopology;
}

/**
 * A messaging source: a provider (`facebook`, `twilio`, …) or the Source API (`custom`).
 * `TConfig` is the output of `configSchema`; `TInstance` may add source-specific parts (the
 * custom source adds its management functions).
 */
export interface SourceDefinition<TConfig = unknown, TInstance extends SourceInstance = SourceInstance> {
  /** Lisp-case name: the webhook path segment and the `<provider>` of its raw events topic. */
  readonly name: string;
  /** Validates the source's configuration section (secrets, endpoints, timeouts). */
  readonly configSchema: z.ZodType<TConfig>;
  /** `source.<name>.events`: the raw payloads its webhook appends, untouched. */
  readonly eventsTopic: string;
  /** Builds the source's parts for a validated configuration and a log. */
  create(context: SourceContext<TConfig>): TInstance;
}

/**
 * Validates a raw configuration section with the definition's schema.
 * @throws SourcesError SOURCES_CONFIG_INVALID naming the first bad field.
 */
export function resolveSourceConfig<TConfig>(definition: Pick<SourceDefinition<TConfig>, 'name' | 'configSchema'>, raw: unknown): TConfig {
  const parsed = definition.configSchema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? '' : issue.path.map(String).join('.');
  throw new SourcesError('SOURCES_CONFIG_INVALID', `invalid configuration of source ${definition.name}${field ? ` at ${field}` : ''}: ${issue?.message ?? 'invalid'}`, {
    field: field || undefined,
  });
}
