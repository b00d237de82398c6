import * as os from 'node:os';
import * as path from 'node:path';
import type { Log } from '../log/types.js';
import { StateDirectory } from './state-directory.js';

/** Changelogs, repartition topics and the two topics of each foreign-key join (generated or `named`). */
const INTERNAL_SUFFIX = /(-changelog|-repartition|-SUBSCRIPTION-(REGISTRATION|RESPONSE)-\d+-topic|-subscription-(registration|response)-topic)$/;

export interface ResetApplicationOptions {
  log: Log;
  applicationId: string;
  /** The same stateDir the application ran with (default `<tmpdir>/parley-streams`). */
  stateDir?: string;
  /** List what would be removed without removing it. */
  dryRun?: boolean;
}

export interface ResetReport {
  deletedTopics: string[];
  deletedGroup: string;
  deletedStateDir: string;
}

/**
 * Forgets everything an application id has built so it can run again from scratch: its internal
 * topics (`<applicationId>-*-changelog`, `-repartition`, the foreign-key joins' subscription topics
 * and its dead-letter topic `<applicationId>-dlq`), its committed offsets and its local state. Input and output topics are left alone. The
 * application must not be running. Kafka Streams' reset tool, as a function.
 */
export async function resetApplication(options: ResetApplicationOptions): Promise<ResetReport> {
  const { log, applicationId } = options;
  const prefix = `${applicationId}-`;
  const internal = (await log.listTopics()).filter((t) => t.startsWith(prefix) && (INTERNAL_SUFFIX.test(t) || t === `${prefix}dlq`));
  const stateDirectory = path.join(options.stateDir ?? path.join(os.tmpdir(), 'parley-streams'), applicationId);
  if (!options.dryRun) {
    if (internal.length > 0) await log.deleteTopics(internal);
    await log.deleteGroup(applicationId);
    new StateDirectory(options.stateDir ?? path.join(os.tmpdir(), 'parley-streams'), applicationId).wipe();
  }
  return { deletedTopics: internal, deletedGroup: applicationId, deletedStateDir: stateDirectory };
}
