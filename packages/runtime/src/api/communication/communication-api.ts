import type { RecordMetadata, StreamsApp } from '@parley/streams';
import { type CommandContext, DEFAULT_CONVERSATION_WAIT_MS, DEFAULT_WAIT_FOR_OFFSETS_MS, waitForLogProcessed, waitForOffsets, communicationTopologyDefinition, CommunicationReadModel, communicationSerdes } from '@parley/communication';
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
}

/**
 * What the communication routes share: the read model, the StreamsApp it is attached to (set by
 * the topology's `onStarted` hook), and the read-your-writes wait every write ends with.
 */
export class CommunicationApi {
  readonly readModel = new CommunicationReadModel();
  readonly definition: TopologyDefinition;
  /** Sources whose connector fetches contact profiles again on conversations.refetch (filled as providers register). */
  readonly contactRefetchSources = new Set<string>();
  readonly #serdes = communicationSerdes();
  readonly #readYourWritesMs: number;
  readonly #conversationWaitMs: number;
  #app: StreamsApp | undefined;

  constructor(options: CommunicationApiOptions = {}) {
    this.#readYourWritesMs = options.readYourWritesMs ?? DEFAULT_WAIT_FOR_OFFSETS_MS;
    this.#conversationWaitMs = options.conversationWaitMs ?? DEFAULT_CONVERSATION_WAIT_MS;
    const base = communicationTopologyDefinition(this.readModel, {
      ...(options.applicationId === undefined ? {} : { applicationId: options.applicationId }),
      ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
    });
    this.definition = {
      ...base,
      // The index is loaded from the stores before the runtime serves: no request sees it empty.
      onStarted: async (app) => {
        await this.readModel.attach(app);
        this.#app = app;
      },
    };
  }

  /** The command writers' context for one request. */
  commands({ runtime }: HandlerContext): CommandContext {
    return {
      log: runtime.log,
      readModel: this.readModel,
      serdes: this.#serdes,
      conversationWaitMs: this.#conversationWaitMs,
      // Every app of the runtime: a conversation may be on its way through a source's router too.
      logProcessed: (timeoutMs) => waitForLogProcessed([...runtime.apps.values()].map((r) => r.app), timeoutMs),
    };
  }

  /**
   * Read-your-writes: waits (bounded) until the communication app has processed `offsets` and what
   * they caused downstream. On timeout it logs a warning and returns: the answer may then be stale.
   */
  async settle(ctx: HandlerContext, offsets: readonly RecordMetadata[]): Promise<void> {
    const app = this.#app;
    if (app === undefined) throw new RuntimeError('RUNTIME_NOT_READY', 'the communication read model is still loading');
    if (offsets.length === 0) return;
    const done = await waitForOffsets(app, offsets, this.#readYourWritesMs);
    if (!done) ctx.logger.warn('communication.read_your_writes_timeout', { timeoutMs: this.#readYourWritesMs, appState: app.state, records: offsets.length });
  }
}
