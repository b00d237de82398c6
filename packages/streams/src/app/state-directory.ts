import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatTaskId, type TaskId } from '../processor/processor-context.js';

/** Changelog offsets up to which a task's persistent stores are known to be complete. */
export type Checkpoint = Record<string, number>;

const CHECKPOINT = '.checkpoint';
const GLOBAL_DIR = 'global';

function takeCheckpointFile(file: string): Checkpoint | undefined {
  let checkpoint: Checkpoint | undefined;
  try {
    checkpoint = JSON.parse(fs.readFileSync(file, 'utf8')) as Checkpoint;
  } catch {
    checkpoint = undefined;
  }
  fs.rmSync(file, { force: true });
  return checkpoint;
}

function writeCheckpointFile(dir: string, checkpoint: Checkpoint): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, CHECKPOINT);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(checkpoint));
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * The local state of one application: `<stateDir>/<applicationId>/` holding one directory per
 * task (`0_3/`, with a LevelDB directory per persistent store) and the topology fingerprint.
 *
 * A task's `.checkpoint` is written only on a clean close and removed when the task opens again.
 * So a task that finds no checkpoint was not closed cleanly (or never ran): its local stores may
 * hold writes that never reached the changelog, and it is wiped and restored from the changelog.
 * The persistent global stores (`global/`) follow the same rule with one checkpoint for all of
 * them: their topics' positions at the clean close.
 */
export class StateDirectory {
  readonly appDir: string;

  constructor(stateDir: string, applicationId: string) {
    this.appDir = path.join(stateDir, applicationId);
    fs.mkdirSync(this.appDir, { recursive: true });
  }

  taskDir(taskId: TaskId): string {
    return path.join(this.appDir, formatTaskId(taskId));
  }

  /** Reads and removes a task's checkpoint; undefined when the task was not closed cleanly. */
  takeCheckpoint(taskId: TaskId): Checkpoint | undefined {
    return takeCheckpointFile(path.join(this.taskDir(taskId), CHECKPOINT));
  }

  writeCheckpoint(taskId: TaskId, checkpoint: Checkpoint): void {
    writeCheckpointFile(this.taskDir(taskId), checkpoint);
  }

  /** Where the persistent global stores live: `<appDir>/global/`, apart from the tasks. */
  get globalDir(): string {
    return path.join(this.appDir, GLOBAL_DIR);
  }

  /**
   * Reads and removes the global stores' checkpoint (the next offset to apply per topic
   * partition); undefined when they were not closed cleanly.
   */
  takeGlobalCheckpoint(): Checkpoint | undefined {
    return takeCheckpointFile(path.join(this.globalDir, CHECKPOINT));
  }

  writeGlobalCheckpoint(checkpoint: Checkpoint): void {
    writeCheckpointFile(this.globalDir, checkpoint);
  }

  wipeGlobal(): void {
    fs.rmSync(this.globalDir, { recursive: true, force: true });
  }

  wipeTask(taskId: TaskId): void {
    fs.rmSync(this.taskDir(taskId), { recursive: true, force: true });
  }

  readFile(name: string): string | undefined {
    try {
      return fs.readFileSync(path.join(this.appDir, name), 'utf8');
    } catch {
      return undefined;
    }
  }

  writeFile(name: string, content: string): void {
    const file = path.join(this.appDir, name);
    fs.writeFileSync(`${file}.tmp`, content);
    fs.renameSync(`${file}.tmp`, file);
  }

  /** Removes all local state of the application. */
  wipe(): void {
    fs.rmSync(this.appDir, { recursive: true, force: true });
  }
}
