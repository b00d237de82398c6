/**
 * Side-by-side reprocessing (docs/reprocessing.md): a shadow copy of a live topology — the
 * registered one or a fixed module — runs under its own application id from the start of its
 * retained inputs, writing shadow output topics; `diff` compares them with the live ones by key;
 * `promote` writes only the keys that differ to the live topics (so downstream applications,
 * webhooks and websockets see `*.updated` for real differences only) and makes the shadow the
 * live version; `rollback` writes the old values back and returns to the old version; `finalize`
 * drops the old version; `abort` drops the shadow. Every step is recorded in the data directory
 * first, so a crash (SIGKILL) resumes where it stopped.
 */
import * as fs from 'node:fs';
import { resetApplication, type Log } from '@parley/streams';
import { RuntimeError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Runtime, ServiceDefinition, UpgradeContext } from '../runtime.js';
import type { RunningApp } from '../runtime-services.js';
import type { TopologyDefinition } from '../topologies/topology-definition.js';
import { compareKeyedOutput, storedRecords, type KeyChange, type OutputComparison } from './output-diff.js';
import { supersedingValue } from './metadata-precedence.js';
import { redirectAppends } from './redirect-log.js';
import { ReprocessStore, writeFileAtomically, type LiveVersion, type ReprocessRecord, type ShadowOutput, type TopologyVersion } from './reprocess-store.js';
import { baseApplicationId, shadowApplicationId, shadowTopic } from './shadow-names.js';
import { loadModuleDefinition, type TopologyModuleLoader } from './topology-module.js';
import { ProgressMeter, type InputProgress } from './progress-meter.js';

const APPEND_BATCH = 1000;
/**
 * How a shadow replays history (docs/reprocessing.md, "Performance"): large batches, so the
 * fetches, the output appends (each one fdatasynced) and the changelog writes are few; commits
 * further apart than the live default, since a crashed catch-up only replays a little more; and a
 * time slice, since the shadow shares the process and its event loop with the API, which must
 * wait no longer than that behind a batch. A topology's own appOptions take precedence.
 */
const SHADOW_APP_OPTIONS = Object.freeze({
  maxBatchRecords: 2000,
  commitIntervalMs: 5000,
  yieldAfterMs: 10,
});
/** How long promote and rollback wait for the live applications to take in what they wrote. */
const SETTLE_TIMEOUT_MS = 120_000;

export interface ReprocessStartRequest {
  topology: string;
  /** Absolute path of the fixed topology module; omitted: the registered definition again. */
  module?: string | undefined;
  from: 'earliest' | number;
}

export interface ReprocessStatus {
  record: ReprocessRecord;
  /** The shadow's application (before promote) or the promoted live one; undefined while not running. */
  app: RunningApp | undefined;
  inputs: InputProgress[];
  caughtUp: boolean;
}

export interface OutputDiff {
  output: ShadowOutput;
  /** Keyed outputs only. */
  comparison?: OutputComparison;
  /** Records stored in the shadow topic (every output). */
  shadowRecords: number;
}

/** What promote and rollback wrote to the live topics, per topic. */
export type AppliedChanges = Record<string, number>;

export interface ReprocessManagerOptions {
  runtime: Runtime;
  loadModule: TopologyModuleLoader;
}

export class ReprocessManager {
  readonly #runtime: Runtime;
  readonly #loadModule: TopologyModuleLoader;
  readonly #store: ReprocessStore;
  readonly #meter = new ProgressMeter();
  /** The definitions as registered, before any promoted version replaced them. */
  readonly #registered = new Map<string, TopologyDefinition>();
  #context: UpgradeContext | undefined;
  /** One operation at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ReprocessManagerOptions) {
    this.#runtime = options.runtime;
    this.#loadModule = options.loadModule;
    this.#store = new ReprocessStore(options.runtime.dataDir.reprocessDir);
  }

  /** The runtime service: promoted versions chosen (and a crashed promote finished) before the topologies start, shadows resumed after. */
  service(): ServiceDefinition {
    return {
      name: 'reprocess',
      prepare: (context) => this.#exclusive(() => this.#prepare(context)),
      start: () => this.#exclusive(() => this.#resumeShadows()),
    };
  }

  start(request: ReprocessStartRequest): Promise<ReprocessStatus> {
    return this.#exclusive(async () => {
      const { topology } = request;
      const module = request.module ?? null;
      const existing = this.#store.get(topology);
      if (existing !== undefined) {
        if (existing.phase !== 'running' || existing.shadow.module !== module) {
          throw new RuntimeError('RUNTIME_REPROCESS_CONFLICT', `topology ${topology} already has a reprocess (generation ${existing.generation}, ${existing.phase}): ${existing.phase === 'running' ? 'abort' : 'finalize or roll back'} it first`);
        }
        // The same request again (after a crash, or to watch it): resume, nothing restarts from scratch.
        if (!this.#runtime.detachedApps.has(existing.shadow.applicationId)) await this.#launchShadow(existing);
        return this.#statusOf(existing);
      }
      const live = this.#runtime.apps.get(topology);
      if (live === undefined) throw new RuntimeError('RUNTIME_TOPOLOGY_UNKNOWN', `no topology named ${topology} runs here`, { field: 'topology' });
      const liveVersion = this.#store.liveVersion(topology);
      const previous: LiveVersion = { applicationId: live.definition.applicationId, module: liveVersion?.module ?? null, generation: liveVersion?.generation ?? 0 };
      const generation = previous.generation + 1;
      const shadow: TopologyVersion = { applicationId: shadowApplicationId(baseApplicationId(previous.applicationId), generation), module };
      const definition = await this.#definition(topology, shadow);
      const record: ReprocessRecord = { topology, generation, phase: 'running', from: request.from, shadow, previous, outputs: await this.#outputsOf(definition, shadow.applicationId), startedAt: Date.now() };
      this.#store.save(record);
      this.#logger.info('runtime.reprocess.started', { topology, generation, applicationId: shadow.applicationId, module });
      await this.#launchShadow(record, definition);
      return this.#statusOf(record);
    });
  }

  /** Every reprocess recorded, with its progress. */
  async statuses(): Promise<ReprocessStatus[]> {
    return Promise.all(this.#store.list().map((r) => this.#statusOf(r)));
  }

  status(topology: string | undefined): Promise<ReprocessStatus> {
    return this.#statusOf(this.#record(topology));
  }

  /** The keyed comparison of every shadow output with its live topic. */
  async diff(topology: string | undefined): Promise<{ status: ReprocessStatus; outputs: OutputDiff[] }> {
    const record = this.#record(topology);
    const log = this.#log;
    const outputs = await Promise.all(
      record.outputs.map(async (output) => ({
        output,
        shadowRecords: await storedRecords(log, output.shadowTopic).catch(() => 0),
        ...(output.keyed ? { comparison: await compareKeyedOutput(log, output.topic, output.shadowTopic) } : {}),
      })),
    );
    return { status: await this.#statusOf(record), outputs };
  }

  /** The shadow becomes live; RUNTIME_REPROCESS_CONFLICT unless it runs and has caught up. */
  promote(topology: string | undefined): Promise<{ status: ReprocessStatus; applied: AppliedChanges; settled: boolean }> {
    return this.#exclusive(async () => {
      const record = this.#record(topology);
      if (record.phase !== 'running') throw conflict(record, 'promote', 'it is already promoted: finalize or roll back');
      const status = await this.#statusOf(record);
      if (!status.caughtUp) {
        const lag = status.inputs.reduce((sum, i) => sum + i.lag, 0);
        throw conflict(record, 'promote', `the shadow has not caught up (${status.app === undefined ? 'it is not running' : `${lag} input records to go`}): wait for \`parley reprocess start\` to finish`);
      }
      record.phase = 'promoting';
      this.#store.save(record);
      await this.#runtime.stopDetachedApp(record.shadow.applicationId);
      let applied: AppliedChanges = {};
      const definition = await this.#definition(record.topology, record.shadow);
      await this.#runtime.replaceTopology(record.topology, definition, async () => {
        applied = await this.#applyPromotion(record);
      });
      this.#markPromoted(record);
      const settled = await this.#settle();
      this.#logger.info('runtime.reprocess.promoted', { topology: record.topology, generation: record.generation, applied });
      return { status: await this.#statusOf(record), applied, settled };
    });
  }

  /** Back to the version before promote: the old values written back, the shadow dropped. */
  rollback(topology: string | undefined): Promise<{ topology: string; generation: number; applied: AppliedChanges; settled: boolean }> {
    return this.#exclusive(async () => {
      const record = this.#record(topology);
      if (record.phase !== 'promoted') throw conflict(record, 'roll back', 'only a promoted reprocess can be rolled back (abort drops one that is running)');
      let applied: AppliedChanges = {};
      const previous = await this.#definition(record.topology, record.previous);
      await this.#runtime.replaceTopology(record.topology, previous, async () => {
        applied = await this.#appendChanges(readBeforeImages(this.#store.beforeImagesFile(record.topology, record.generation)));
      });
      const { previous: version } = record;
      if (version.module === null && version.applicationId === this.#registeredDefinition(record.topology).applicationId) this.#store.removeLiveVersion(record.topology);
      else this.#store.saveLiveVersion(record.topology, version);
      await this.#drop(record, record.shadow.applicationId);
      const settled = await this.#settle();
      this.#logger.info('runtime.reprocess.rolled_back', { topology: record.topology, generation: record.generation, applied });
      return { topology: record.topology, generation: record.generation, applied, settled };
    });
  }

  /** Forgets the version before promote (its state, offsets and internal topics) and the shadow topics. */
  finalize(topology: string | undefined): Promise<{ topology: string; generation: number; removed_application_id: string }> {
    return this.#exclusive(async () => {
      const record = this.#record(topology);
      if (record.phase !== 'promoted') throw conflict(record, 'finalize', 'promote it first (or abort it)');
      await this.#drop(record, record.previous.applicationId);
      this.#logger.info('runtime.reprocess.finalized', { topology: record.topology, generation: record.generation });
      return { topology: record.topology, generation: record.generation, removed_application_id: record.previous.applicationId };
    });
  }

  /** Stops and forgets the shadow; the live version never noticed it. */
  abort(topology: string | undefined): Promise<{ topology: string; generation: number; removed_application_id: string }> {
    return this.#exclusive(async () => {
      const record = this.#record(topology);
      if (record.phase !== 'running') throw conflict(record, 'abort', 'it is promoted: roll back or finalize it');
      await this.#runtime.stopDetachedApp(record.shadow.applicationId);
      await this.#drop(record, record.shadow.applicationId);
      this.#logger.info('runtime.reprocess.aborted', { topology: record.topology, generation: record.generation });
      return { topology: record.topology, generation: record.generation, removed_application_id: record.shadow.applicationId };
    });
  }

  async #prepare(context: UpgradeContext): Promise<void> {
    this.#context = context;
    for (const { topology, ...live } of this.#store.liveVersions()) {
      if (this.#runtime.topologyDefinition(topology) === undefined) continue; // not hosted by this configuration
      await this.#runtime.replaceTopology(topology, await this.#definition(topology, live));
    }
    for (const record of this.#store.list()) {
      if (record.phase !== 'promoting') continue;
      // Interrupted during promote: finish it before anything runs (the writes are idempotent).
      await this.#applyPromotion(record);
      this.#markPromoted(record);
      await this.#runtime.replaceTopology(record.topology, await this.#definition(record.topology, record.shadow));
    }
  }

  async #resumeShadows(): Promise<void> {
    for (const record of this.#store.list()) {
      if (record.phase !== 'running' || !this.#runtime.apps.has(record.topology)) continue;
      this.#logger.info('runtime.reprocess.resumed', { topology: record.topology, generation: record.generation });
      await this.#launchShadow(record);
    }
  }

  async #launchShadow(record: ReprocessRecord, definition?: TopologyDefinition): Promise<void> {
    const log = this.#log;
    const shadow = definition ?? (await this.#definition(record.topology, record.shadow));
    const topics = await Promise.all(
      record.outputs.map(async (o) => {
        const live = await log.describeTopic(o.topic).catch(() => undefined);
        return { name: o.shadowTopic, partitions: live?.partitions ?? 1, config: live?.config ?? {} };
      }),
    );
    await log.createTopics(topics, { ifNotExists: true });
    const redirects = new Map(record.outputs.map((o) => [o.topic, o.shadowTopic]));
    const startFrom = record.from === 'earliest' ? ('earliest' as const) : { timestamp: record.from };
    const appOptions = { ...SHADOW_APP_OPTIONS, ...shadow.appOptions, startFrom };
    // No onStarted: that hook attaches a live read model to the application's stores.
    await this.#runtime.startDetachedApp({ ...shadow, name: record.shadow.applicationId, appOptions, onStarted: undefined }, { log: (l) => redirectAppends(l, redirects) });
  }

  /** The topics `definition` writes (its sinks, internal topics left out), with their shadow names. */
  async #outputsOf(definition: TopologyDefinition, shadowAppId: string): Promise<ShadowOutput[]> {
    const { config, dataDir } = this.#runtime;
    const description = definition.build({ config, dataDir, logger: this.#logger }).describe();
    const sinks = new Set<string>();
    for (const sub of description.subtopologies) {
      for (const node of sub.nodes) if (node.kind === 'sink' && node.topic !== undefined && !node.topic.startsWith('extractor:') && !/-(repartition|topic)$/.test(node.topic)) sinks.add(node.topic);
    }
    return Promise.all(
      [...sinks].sort().map(async (topic) => {
        const live = await this.#log.describeTopic(topic).catch(() => undefined);
        return { topic, shadowTopic: shadowTopic(shadowAppId, topic), keyed: live?.config.cleanupPolicy === 'compact' };
      }),
    );
  }

  /**
   * Writes the shadow's differing keys to the live topics, after saving the live values they
   * overwrite (for rollback). Idempotent: run again, it finds nothing left to write, and it keeps
   * the old values saved by the first run.
   */
  async #applyPromotion(record: ReprocessRecord): Promise<AppliedChanges> {
    const changes: KeyChange[] = [];
    const topics: string[] = [];
    for (const output of record.outputs.filter((o) => o.keyed)) {
      const { changes: found } = await compareKeyedOutput(this.#log, output.topic, output.shadowTopic);
      for (const change of found) {
        changes.push(change);
        topics.push(output.topic);
      }
    }
    const file = this.#store.beforeImagesFile(record.topology, record.generation);
    if (!fs.existsSync(file)) {
      const lines = changes.map((c, i) => JSON.stringify({ topic: topics[i], partition: c.partition, timestamp: c.timestamp, key: c.key.toString('base64'), value: c.before?.toString('base64') ?? null }));
      writeFileAtomically(file, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
    }
    return this.#appendChanges(changes.map((c, i) => ({ topic: topics[i]!, partition: c.partition, timestamp: c.timestamp, key: c.key, value: c.after })));
  }

  /** Appends `writes` to the live topics, each value made to take precedence over what it replaces. */
  async #appendChanges(writes: readonly KeyedWrite[]): Promise<AppliedChanges> {
    const now = Date.now();
    const applied: AppliedChanges = {};
    const byTopic = new Map<string, KeyedWrite[]>();
    for (const w of writes) byTopic.set(w.topic, [...(byTopic.get(w.topic) ?? []), w]);
    for (const [topic, list] of byTopic) {
      for (let i = 0; i < list.length; i += APPEND_BATCH) {
        await this.#log.append(topic, list.slice(i, i + APPEND_BATCH).map((w) => ({ key: w.key, value: supersedingValue(w.value, now), partition: w.partition, timestamp: w.timestamp })));
      }
      applied[topic] = list.length;
    }
    return applied;
  }

  #markPromoted(record: ReprocessRecord): void {
    this.#store.saveLiveVersion(record.topology, { ...record.shadow, generation: record.generation });
    record.phase = 'promoted';
    record.promotedAt = Date.now();
    this.#store.save(record);
  }

  /** Removes what `applicationId` built (offsets, internal topics, state), the shadow topics and the saved old values; forgets the record. */
  async #drop(record: ReprocessRecord, applicationId: string): Promise<void> {
    await resetApplication({ log: this.#log, applicationId, stateDir: this.#runtime.dataDir.stateDir });
    const existing = new Set(await this.#log.listTopics());
    const shadowTopics = record.outputs.map((o) => o.shadowTopic).filter((t) => existing.has(t));
    if (shadowTopics.length > 0) await this.#log.deleteTopics(shadowTopics);
    fs.rmSync(this.#store.beforeImagesFile(record.topology, record.generation), { force: true });
    this.#store.remove(record.topology);
  }

  /** Waits (bounded) until every live application has processed what was appended so far; false on timeout. */
  async #settle(): Promise<boolean> {
    try {
      // Twice: what the first pass processed may have appended to repartition topics.
      for (let pass = 0; pass < 2; pass++) await Promise.all([...this.#runtime.apps.values()].map(({ app }) => app.waitUntilCaughtUp(SETTLE_TIMEOUT_MS)));
      return true;
    } catch (err) {
      this.#logger.warn('runtime.reprocess.settle_timeout', { err });
      return false;
    }
  }

  async #statusOf(record: ReprocessRecord): Promise<ReprocessStatus> {
    const app = record.phase === 'running' ? this.#runtime.detachedApps.get(record.shadow.applicationId) : this.#runtime.apps.get(record.topology);
    const lags = app === undefined ? [] : await app.app.lag();
    const inputs = this.#meter.measure(record.shadow.applicationId, lags.filter((l) => !l.topic.startsWith(`${record.shadow.applicationId}-`)));
    const caughtUp = app !== undefined && app.app.state === 'running' && lags.every((l) => l.lag === 0);
    return { record, app, inputs, caughtUp };
  }

  /** The record of `topology`, or the only one when it is omitted. */
  #record(topology: string | undefined): ReprocessRecord {
    if (topology !== undefined) {
      const record = this.#store.get(topology);
      if (record === undefined) throw new RuntimeError('RUNTIME_REPROCESS_NOT_FOUND', `topology ${topology} has no reprocess in progress`, { field: 'topology' });
      return record;
    }
    const all = this.#store.list();
    if (all.length === 1) return all[0]!;
    if (all.length === 0) throw new RuntimeError('RUNTIME_REPROCESS_NOT_FOUND', 'no reprocess is in progress: start one with `parley reprocess start <topology>`');
    throw new RuntimeError('RUNTIME_INVALID_REQUEST', `${all.length} reprocesses are in progress (${all.map((r) => r.topology).join(', ')}): name the topology`, { field: 'topology' });
  }

  /** Topology `topology` in `version`: the registered definition or the module's, under the version's application id. */
  async #definition(topology: string, version: TopologyVersion): Promise<TopologyDefinition> {
    const base = version.module === null ? this.#registeredDefinition(topology) : await loadModuleDefinition(this.#loadModule, version.module, topology);
    return { ...base, name: topology, applicationId: version.applicationId, topics: base.topics, appOptions: base.appOptions };
  }

  #registeredDefinition(topology: string): TopologyDefinition {
    let registered = this.#registered.get(topology);
    if (registered === undefined) {
      registered = this.#runtime.topologyDefinition(topology);
      if (registered === undefined) throw new RuntimeError('RUNTIME_TOPOLOGY_UNKNOWN', `no topology named ${topology} is registered`, { field: 'topology' });
      this.#registered.set(topology, registered);
    }
    return registered;
  }

  #requireContext(): UpgradeContext {
    if (this.#context === undefined) throw new RuntimeError('RUNTIME_STATE', 'the reprocess service has not started');
    return this.#context;
  }

  get #log(): Log {
    return this.#requireContext().log;
  }

  get #logger(): Logger {
    return this.#requireContext().logger;
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

interface KeyedWrite {
  topic: string;
  partition: number;
  timestamp: number;
  key: Buffer;
  value: Buffer | null;
}

function readBeforeImages(file: string): KeyedWrite[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const w = JSON.parse(line) as { topic: string; partition: number; timestamp: number; key: string; value: string | null };
      return { ...w, key: Buffer.from(w.key, 'base64'), value: w.value === null ? null : Buffer.from(w.value, 'base64') };
    });
}

function conflict(record: ReprocessRecord, action: string, why: string): RuntimeError {
  return new RuntimeError('RUNTIME_REPROCESS_CONFLICT', `cannot ${action} the reprocess of ${record.topology} (generation ${record.generation}, ${record.phase}): ${why}`);
}
