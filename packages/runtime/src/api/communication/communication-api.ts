import type { Log, RecordMetadata, StreamsApp } from '@parley/streams';
import {
  type CommandContext,
  type CommunicationListener,
  buildCommunicationReplicaTopology,
  buildCommunicationTopology,
  COMMUNICATION_INPUT_DATASETS,
  communicationSerdes,
  communicationTopologyDefinition,
  CommunicationReadModel,
  DEFAULT_CONVERSATION_WAIT_MS,
  DEFAULT_WAIT_FOR_OFFSETS_MS,
  ReplicaBarrier,
  waitForLogProcessed,
  waitForOffsets,
} from '@parley/communication';
import { COMMUNICATION_TOPICS } from '@parley/schemas';
import { RuntimeError } from '../../errors.js';
import type { HandlerContext } from '../../http/route-definition.js';
import type { TopologyDefinition } from '../../topologies/topology-definition.js';

/** Options of the communication endpoints. */
export interface CommunicationApiOptions {
  /** Application id of the communication topology. Default `communication`. */
  applicationId?: string;
  /** Partitions of the model topics when the runtime creates them. Default 1. */
  partitions?: number;
  /**
   * How long a write waits for the read model to have processed it before answering, in ms
   * (read-your-writes). Default 5000. After that it answers anyway (the write is in the log).
   */
  readYourWritesMs?: number;
  /** How long a command on a conversation not listed yet waits for it, in ms. Default 5000. */
  conversationWaitMs?: number;
  /**
   * Answer queries from a replica of the read model (global stores over the communication
   * topology's changelogs) rather than from the topology's own stores: needed when several
   * instances share the topology's partitions (docs/scaling.md). Default: on with the Kafka log.
   */
  replica?: boolean;
}

/** How often the replica applies the changelogs by itself (reads and writes also bring it up to date at once), ms. */
const REPLICA_POLL_MS = 50;
/** The communication topology's commit interval under a replica: read-your-writes waits for its commits. */
const WRITER_COMMIT_INTERVAL_MS = 100;

/**
 * What the communication routes share: the read model, the StreamsApp it is attached to (set by
 * the topology's `onStarted` hook), and the read-your-writes waits: every write ends with
 * `settle`, every request starts with `beforeRead`.
 *
 * On one instance (the embedded log) the read model is the topology's own stores. With `replica`
 * (the Kafka log, possibly many instances) the topology is the writer, its partitions shared by
 * the instances' group, and each instance reads a full replica of its stores (`definitions`
 * holds both topologies then).
 */
export class CommunicationApi {
  readonly readModel = new CommunicationReadModel();
  /** The communication topology (the writer). */
  readonly definition: TopologyDefinition;
  /** Sources whose connector fetches contact profiles again on conversations.refetch (filled as providers register). */
  readonly contactRefetchSources = new Set<string>();
  /** Every topology to register: the writer, and the replica when on. */
  readonly definitions: readonly TopologyDefinition[];
  readonly #serdes = communicationSerdes();
  readonly #readYourWritesMs: number;
  readonly #conversationWaitMs: number;
  readonly #replicaMode: boolean;
  #app: StreamsApp | undefined;
  #barrier: ReplicaBarrier | undefined;

  constructor(options: CommunicationApiOptions = {}) {
    this.#readYourWritesMs = options.readYourWritesMs ?? DEFAULT_WAIT_FOR_OFFSETS_MS;
    this.#conversationWaitMs = options.conversationWaitMs ?? DEFAULT_CONVERSATION_WAIT_MS;
    this.#replicaMode = options.replica ?? false;
    const base = communicationTopologyDefinition(this.readModel, {
      ...(options.applicationId === undefined ? {} : { applicationId: options.applicationId }),
      ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
    });
    if (!this.#replicaMode) {
      this.definition = {
        ...base,
        // The index is loaded from the stores before the runtime serves: no request sees it empty.
        onStarted: async (app) => {
          await this.readModel.attach(app);
          this.#app = app;
        },
      };
      this.definitions = [this.definition];
      return;
    }
    const writerId = base.applicationId;
    this.definition = { ...base, build: () => buildCommunicationTopology(), appOptions: { commitIntervalMs: WRITER_COMMIT_INTERVAL_MS } };
    // The replica's start applies every changelog record: the index is loaded once, by attach,
    // which takes what the listener reports only from its start on.
    let attaching = false;
    const listener: CommunicationListener = {
      conversationChanged: (aggregate) => attaching && this.readModel.listener.conversationChanged(aggregate),
      channelChanged: (id, channel) => attaching && this.readModel.listener.channelChanged(id, channel),
      contactChanged: (id, state) => attaching && this.readModel.listener.contactChanged?.(id, state),
    };
    const replica: TopologyDefinition = {
      name: `${base.name}-replica`,
      applicationId: `${writerId}-replica`,
      build: () => buildCommunicationReplicaTopology({ writerApplicationId: writerId, listener, serdes: this.#serdes }),
      appOptions: { globalPollMs: REPLICA_POLL_MS },
      onStarted: async (app) => {
        attaching = true;
        await this.readModel.attach(app);
        this.#app = app;
      },
    };
    this.definitions = [this.definition, replica];
  }

  /** Connects the read-your-writes barrier to the log (replica mode; call once the runtime has started). */
  #barrierFor(log: Log): ReplicaBarrier | undefined {
    if (!this.#replicaMode || this.#app === undefined) return undefined;
    const writerId = this.definition.applicationId;
    this.#barrier ??= new ReplicaBarrier({
      log,
      writerGroupId: writerId,
      inputTopics: COMMUNICATION_INPUT_DATASETS.map((dataset) => COMMUNICATION_TOPICS[dataset].name),
      repartitionTopics: buildCommunicationTopology()
        .plan(writerId)
        .subtopologies.flatMap((s) => s.sourceTopics)
        .filter((topic) => topic.startsWith(`${writerId}-`) && topic.endsWith('-repartition')),
      replica: this.#app,
    });
    return this.#barrier;
  }

  /** The command writers' context for one request. */
  commands({ runtime }: HandlerContext): CommandContext {
    const barrier = this.#barrierFor(runtime.log);
    return {
      log: runtime.log,
      readModel: this.readModel,
      serdes: this.#serdes,
      conversationWaitMs: this.#conversationWaitMs,
      // Every app of the runtime: a conversation may be on its way through a source's router too.
      logProcessed: (timeoutMs) => (barrier === undefined ? waitForLogProcessed([...runtime.apps.values()].map((r) => r.app), timeoutMs) : barrier.afterEverything(timeoutMs)),
    };
  }

  /**
   * Before a request reads (replica mode): the replica applies what its changelogs hold now, so
   * that a write acknowledged by any instance before this request is seen. Bounded; on timeout it
   * logs a warning and reads anyway.
   */
  async beforeRead(ctx: HandlerContext): Promise<void> {
    const barrier = this.#barrierFor(ctx.runtime.log);
    if (barrier === undefined) return;
    if (!(await barrier.beforeRead(this.#readYourWritesMs))) ctx.logger.warn('communication.read_your_writes_timeout', { timeoutMs: this.#readYourWritesMs, appState: this.#app?.state, records: 0 });
  }

  /**
   * Read-your-writes: waits (bounded) until the read model here shows `offsets` and what they
   * caused downstream. On timeout it logs a warning and returns: the answer may then be stale.
   */
  async settle(ctx: HandlerContext, offsets: readonly RecordMetadata[]): Promise<void> {
    const app = this.#app;
    if (app === undefined) throw new RuntimeError('RUNTIME_NOT_READY', 'the communication read model is still loading');
    if (offsets.length === 0) return;
    const barrier = this.#barrierFor(ctx.runtime.log);
    const done = barrier === undefined ? await waitForOffsets(app, offsets, this.#readYourWritesMs) : await barrier.afterWrite(offsets, this.#readYourWritesMs);
    if (!done) ctx.logger.warn('communication.read_your_writes_timeout', { timeoutMs: this.#readYourWritesMs, appState: app.state, records: offsets.length });
  }
}
