import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StreamsApp } from '@parley/streams';
import type { AttemptOutcome } from '../webhooks/delivery-records.js';

/** Seconds: from a fast read (1 ms) to a write waiting out its read-your-writes bound (10 s). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What the runtime measures at scrape time (gauges read then rather than kept current). */
export interface MetricsSources {
  apps: () => ReadonlyMap<string, { app: StreamsApp; stores: readonly string[] }>;
  /** Records per topic (end minus beginning offsets, summed over partitions). */
  logRecords: () => Promise<ReadonlyMap<string, number>>;
  /** Websocket clients connected now, by endpoint path. */
  websocketClients: () => ReadonlyMap<string, number>;
}

/**
 * The Prometheus metrics of one runtime, in a registry of its own (several runtimes may share a
 * process in tests). Counters and histograms are fed as things happen; the gauges of
 * applications, stores, log and websockets are read at scrape time. docs/operations.md, "Metrics".
 */
export class RuntimeMetrics {
  readonly registry = new Registry();
  readonly #httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly #httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly #webhookAttempts: Counter<'outcome'>;
  readonly #commitDuration: Histogram<'app'>;
  readonly #watched = new WeakSet<StreamsApp>();

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    // The process' own: resident memory, heap, event loop lag, GC (prom-client's standard names).
    collectDefaultMetrics({ register: this.registry });
    this.#httpRequests = new Counter({ name: 'parley_http_requests_total', help: 'HTTP requests answered, by method, route and status', labelNames: ['method', 'route', 'status'], registers });
    this.#httpDuration = new Histogram({ name: 'parley_http_request_duration_seconds', help: 'Time from a request arriving to its answer being sent', labelNames: ['method', 'route', 'status'], buckets: LATENCY_BUCKETS, registers });
    this.#webhookAttempts = new Counter({ name: 'parley_webhook_attempts_total', help: 'Outbound webhook delivery attempts by outcome (delivered, retrying, dead, disabled, skipped)', labelNames: ['outcome'], registers });
    this.#commitDuration = new Histogram({ name: 'parley_streams_commit_duration_seconds', help: 'Duration of the streams applications\' commits that moved offsets', labelNames: ['app'], buckets: LATENCY_BUCKETS, registers });
    new Gauge({
      name: 'parley_streams_app_state',
      help: 'State of each streams application: 1 for its current state, 0 for the others',
      labelNames: ['app', 'state'],
      registers,
      collect() {
        this.reset();
        for (const [name, { app }] of sources.apps()) for (const state of APP_STATES) this.set({ app: name, state }, app.state === state ? 1 : 0);
      },
    });
    new Gauge({
      name: 'parley_streams_records_processed',
      help: 'Input records processed by each streams application since this process started',
      labelNames: ['app'],
      registers,
      collect() {
        this.reset();
        for (const [name, { app }] of sources.apps()) this.set({ app: name }, app.processedRecords);
      },
    });
    new Gauge({
      name: 'parley_streams_lag_records',
      help: 'Records not processed yet on the input partitions this instance owns, by application and topic',
      labelNames: ['app', 'topic'],
      registers,
      async collect() {
        this.reset();
        for (const [name, { app }] of sources.apps()) {
          if (app.state !== 'running') continue;
          const byTopic = new Map<string, number>();
          for (const { topic, lag } of await app.lag()) byTopic.set(topic, (byTopic.get(topic) ?? 0) + lag);
          for (const [topic, lag] of byTopic) this.set({ app: name, topic }, lag);
        }
      },
    });
    new Gauge({
      name: 'parley_store_entries',
      help: 'Approximate entries of each state store, over the partitions this instance holds',
      labelNames: ['app', 'store'],
      registers,
      async collect() {
        this.reset();
        for (const [name, { app, stores }] of sources.apps()) {
          if (app.state !== 'running') continue;
          for (const store of stores) {
            const entries = await app.store(store).approximateNumEntries().catch(() => undefined);
            if (entries !== undefined) this.set({ app: name, store }, entries);
          }
        }
      },
    });
    new Gauge({
      name: 'parley_log_records',
      help: 'Records stored per topic (end minus beginning offsets, over every partition)',
      labelNames: ['topic'],
      registers,
      async collect() {
        this.reset();
        for (const [topic, records] of await sources.logRecords()) this.set({ topic }, records);
      },
    });
    new Gauge({
      name: 'parley_websocket_clients',
      help: 'Websocket clients connected to this instance, by endpoint',
      labelNames: ['path'],
      registers,
      collect() {
        this.reset();
        for (const [path, clients] of sources.websocketClients()) this.set({ path }, clients);
      },
    });
  }

  /** One answered HTTP request; `route` is a bounded label (a registered route, never a raw path). */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.#httpRequests.inc(labels);
    this.#httpDuration.observe(labels, seconds);
  }

  /** One finished webhook delivery attempt. */
  observeWebhookAttempt(outcome: AttemptOutcome): void {
    this.#webhookAttempts.inc({ outcome });
  }

  /** Follows an application's commits (once per application). */
  watch(name: string, app: StreamsApp): void {
    if (this.#watched.has(app)) return;
    this.#watched.add(app);
    app.on('commit', (durationMs) => this.#commitDuration.observe({ app: name }, durationMs / 1000));
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

const APP_STATES = ['created', 'restoring', 'running', 'closed', 'error'] as const;
