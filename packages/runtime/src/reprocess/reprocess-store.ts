/**
 * What survives a restart (or a SIGKILL) of a reprocess, as JSON files in `<dataDir>/reprocess/`:
 * `<topology>.json`, the reprocess in progress, and `<topology>.live.json`, which version of the
 * topology runs live once one was promoted. Files are written whole (temp file, fsync, rename),
 * so a crash leaves the old content or the new one, never half of it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** running: the shadow catches up; promoting: the switch is under way; promoted: the shadow is live, the old version kept. */
export type ReprocessPhase = 'running' | 'promoting' | 'promoted';

/** A version of a topology: the registered definition (module null) or a module's. */
export interface TopologyVersion {
  applicationId: string;
  /** Absolute path of the topology module; null: the definition the runtime registered. */
  module: string | null;
}

/** One output topic of the topology and the topic its shadow writes instead. */
export interface ShadowOutput {
  topic: string;
  shadowTopic: string;
  /** Compacted (the latest record per key is the truth): compared and promoted by key. */
  keyed: boolean;
}

export interface ReprocessRecord {
  topology: string;
  generation: number;
  phase: ReprocessPhase;
  /** Where the shadow started reading its inputs: 'earliest' or a time (ms). */
  from: 'earliest' | number;
  /** The shadow, which becomes live on promote. */
  shadow: TopologyVersion;
  /** The live version when the reprocess started: where rollback returns. */
  previous: LiveVersion;
  outputs: ShadowOutput[];
  startedAt: number;
  promotedAt?: number;
}

export interface LiveVersion extends TopologyVersion {
  /** The generation that became live (the next reprocess takes the next one). */
  generation: number;
}

export class ReprocessStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  list(): ReprocessRecord[] {
    if (!fs.existsSync(this.#dir)) return [];
    return fs
      .readdirSync(this.#dir)
      .filter((f) => f.endsWith('.json') && !f.endsWith('.live.json'))
      .map((f) => readJson<ReprocessRecord>(path.join(this.#dir, f))!)
      .sort((a, b) => a.topology.localeCompare(b.topology));
  }

  get(topology: string): ReprocessRecord | undefined {
    return readJson(this.#file(topology, 'json'));
  }

  save(record: ReprocessRecord): void {
    writeJson(this.#file(record.topology, 'json'), record);
  }

  remove(topology: string): void {
    fs.rmSync(this.#file(topology, 'json'), { force: true });
  }

  /** Topologies with a promoted version recorded, and that version. */
  liveVersions(): Array<LiveVersion & { topology: string }> {
    if (!fs.existsSync(this.#dir)) return [];
    return fs
      .readdirSync(this.#dir)
      .filter((f) => f.endsWith('.live.json'))
      .map((f) => readJson<LiveVersion & { topology: string }>(path.join(this.#dir, f))!);
  }

  liveVersion(topology: string): LiveVersion | undefined {
    return readJson(this.#file(topology, 'live.json'));
  }

  saveLiveVersion(topology: string, version: LiveVersion): void {
    writeJson(this.#file(topology, 'live.json'), { topology, ...version });
  }

  removeLiveVersion(topology: string): void {
    fs.rmSync(this.#file(topology, 'live.json'), { force: true });
  }

  /** The file of the old values a promote overwrote (JSON lines), kept for rollback. */
  beforeImagesFile(topology: string, generation: number): string {
    return this.#file(`${topology}-${generation}`, 'before.jsonl');
  }

  #file(name: string, suffix: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new TypeError(`not a topology name: ${JSON.stringify(name)}`);
    return path.join(this.#dir, `${name}.${suffix}`);
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes `file` whole: a temp file, fsynced, renamed over it. */
export function writeFileAtomically(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

function writeJson(file: string, value: unknown): void {
  writeFileAtomically(file, `${JSON.stringify(value, null, 2)}\n`);
}
