import { COMMUNICATION_TOPICS } from '@parley/schemas';
import type { PartitionLag, RecordMetadata } from '@parley/streams';

/** What `waitForOffsets` needs of a StreamsApp. */
export interface ProcessingProgress {
  readonly applicationId: string;
  /** StreamsApp's state: progress counts only while `running`; `closed` or `error` ends the wait. */
  readonly state: string;
  lag(): Promise<PartitionLag[]>;
  commit(): Promise<void>;
}

/** Default bound of `waitForOffsets`, in ms. */
export const DEFAULT_WAIT_FOR_OFFSETS_MS = 5000;
/** How often progress is polled, in ms. */
const POLL_MS = 2;
/**
 * Hops to follow. The longest chain of the communication topology: conversation-events →
 * the metadata or contacts topic (`user_read`, contact seeds) → metadata-changes →
 * conversation-metadata.
 */
const MAX_HOPS = 6;
/**
 * Model topics the communication topology writes and reads back itself (`user_read` marks on the
 * metadata topic, contact seeds on the contacts topic): followed like its repartition topics.
 */
const FEEDBACK_TOPICS: ReadonlySet<string> = new Set([COMMUNICATION_TOPICS.metadata.name, COMMUNICATION_TOPICS.contacts.name]);

const tpKey = (tp: { topic: string; partition: number }): string => `${tp.topic}\u0000${tp.partition}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Read-your-writes: resolves true once `app` (running) has processed the records at `offsets` (what a
 * command writer returned) and everything they caused downstream, or false after `timeoutMs`
 * (default 5000), when the caller answers anyway (the write is in the log and will be processed;
 * only the read may be stale). Never rejects for a slow or failed application.
 *
 * 1. Waits until the app's processed offset of each written partition is past the record.
 *    Partitions this instance does not own (another instance of a Kafka group) and topics the
 *    app does not read are skipped.
 * 2. Then follows the repartition topics, and the model topics the app writes and reads back
 *    (FEEDBACK_TOPICS): a commit serves as a barrier (the engine appends a batch's outputs before
 *    it runs the commit queued behind it), then it waits until every such partition is processed
 *    up to the end offset seen after the barrier, and repeats while the hop produced more. This
 *    waits for all that traffic up to that point, not only the write's: under load it waits
 *    longer, within the bound.
 */
export async function waitForOffsets(app: ProcessingProgress, offsets: readonly RecordMetadata[], timeoutMs = DEFAULT_WAIT_FOR_OFFSETS_MS): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  try {
    const wanted = new Map<string, number>();
    for (const { topic, partition, offset } of offsets) {
      const key = tpKey({ topic, partition });
      wanted.set(key, Math.max(wanted.get(key) ?? -1, offset + 1));
    }
    const inputsDone = await waitUntil(app, deadline, (lags) => {
      const readTopics = new Set(lags.map((l) => l.topic));
      const processed = new Map(lags.map((l) => [tpKey(l), l.processedOffset]));
      for (const [key, target] of wanted) {
        const topic = key.slice(0, key.indexOf('\u0000'));
        if (!readTopics.has(topic) || !processed.has(key)) continue;
        if (processed.get(key)! < target) return false;
      }
      return true;
    });
    if (!inputsDone || offsets.length === 0) return inputsDone;
    const internal = (topic: string) => FEEDBACK_TOPICS.has(topic) || (topic.startsWith(`${app.applicationId}-`) && topic.endsWith('-repartition'));
    for (let hop = 0; hop < MAX_HOPS; hop += 1) {
      await app.commit();
      const targets = new Map((await app.lag()).filter((l) => internal(l.topic) && l.lag > 0).map((l) => [tpKey(l), l.endOffset]));
      if (targets.size === 0) return true;
      const done = await waitUntil(app, deadline, (lags) =>
        lags.every((l) => !targets.has(tpKey(l)) || l.processedOffset >= targets.get(tpKey(l))!),
      );
      if (!done) return false;
    }
    return true;
  } catch {
    // A closed or failed application: the write stands, the read may be stale.
    return false;
  }
}

async function waitUntil(app: ProcessingProgress, deadline: number, done: (lags: PartitionLag[]) => boolean): Promise<boolean> {
  for (;;) {
    if (app.state === 'closed' || app.state === 'error') return false;
    // While restoring or rebalancing the assignment (and so the lag list) is not settled yet.
    if (app.state === 'running' && done(await app.lag())) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/**
 * Resolves true once every application has processed what its input partitions held when the
 * call began, and, over up to MAX_HOPS rounds, what that processing appended for the next
 * application (a raw webhook payload → the router's message → the read model); false after
 * `timeoutMs`. A command on an id nobody has written answers 404 once this is true instead of
 * waiting its whole bound: when it is true, no write for that id can still be on its way. Apps
 * that are closed or failed are skipped (they will not process anything anyway).
 */
export async function waitForLogProcessed(apps: readonly ProcessingProgress[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  try {
    for (let round = 0; round < MAX_HOPS; round += 1) {
      let processedSome = false;
      for (const app of apps) {
        if (app.state === 'closed' || app.state === 'error') continue;
        let targets: Map<string, number> | undefined;
        const done = await waitUntil(app, deadline, (lags) => {
          targets ??= new Map(lags.filter((l) => l.lag > 0).map((l) => [tpKey(l), l.endOffset]));
          return lags.every((l) => !targets!.has(tpKey(l)) || l.processedOffset >= targets!.get(tpKey(l))!);
        });
        if (!done) return app.state === 'closed' || app.state === 'error';
        if (targets!.size > 0) {
          processedSome = true;
          // The barrier: the engine appends a batch's outputs before it runs the commit behind it.
          await app.commit();
        }
      }
      if (!processedSome) return true;
    }
    return true;
  } catch {
    return false;
  }
}
