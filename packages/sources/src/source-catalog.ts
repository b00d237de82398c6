/**
 * An in-memory view of the custom sources and their channels, kept by reading the compacted
 * `sources` and `channels` topics forward. `refresh()` reads whatever was appended since the last
 * call (one `endOffset` per partition when nothing was), so a caller that refreshes after its own
 * append reads its write. Management functions and the webhook share one catalog.
 */
import { COMMUNICATION_TOPICS, type Channel, type Source } from '@parley/schemas';
import type { Log, LogRecord } from '@parley/streams';
import type { ModelSerdes } from '@parley/communication';

const READ_BATCH = 1000;

export class SourceCatalog {
  readonly #log: Log;
  readonly #serdes: ModelSerdes;
  readonly #sources = new Map<string, Source>();
  readonly #channels = new Map<string, Channel>();
  /** `<topic>\0<partition>` → next offset to read. */
  readonly #positions = new Map<string, number>();
  #refreshing: Promise<void> | undefined;
  #again = false;

  readonly #clock: () => number;
  /** When the last completed refresh began (ms since the epoch); -Infinity before the first. */
  #refreshedAt = -Infinity;

  constructor(log: Log, serdes: ModelSerdes, clock: () => number = Date.now) {
    this.#log = log;
    this.#serdes = serdes;
    this.#clock = clock;
  }

  /** Refreshes unless the last refresh began less than `maxAgeMs` ago. */
  async refreshIfOlderThan(maxAgeMs: number): Promise<void> {
    if (this.#clock() - this.#refreshedAt >= maxAgeMs) await this.refresh();
  }

  /** Reads every record appended to the two topics since the last refresh; concurrent calls share reads. */
  refresh(): Promise<void> {
    if (this.#refreshing !== undefined) {
      // A caller that arrives mid-read may need records appended after that read began.
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#again = false;
          const startedAt = this.#clock();
          await this.#readTopic(COMMUNICATION_TOPICS.sources.name, (r) => this.#applySource(r));
          await this.#readTopic(COMMUNICATION_TOPICS.channels.name, (r) => this.#applyChannel(r));
          this.#refreshedAt = startedAt;
        } while (this.#again);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  source(id: string): Source | undefined {
    return this.#sources.get(id);
  }

  /** Every registered custom source, by id. */
  sources(): Source[] {
    return [...this.#sources.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  channel(id: string): Channel | undefined {
    return this.#channels.get(id);
  }

  /** The channels of one source (connected and disconnected). */
  channelsOf(sourceId: string): Channel[] {
    return [...this.#channels.values()].filter((c) => c.source === sourceId);
  }

  async #readTopic(topic: string, apply: (record: LogRecord) => void): Promise<void> {
    const { partitions } = await this.#log.describeTopic(topic);
    for (let partition = 0; partition < partitions; partition++) {
      const tp = { topic, partition };
      const key = `${topic}\u0000${partition}`;
      const end = await this.#log.endOffset(tp);
      let next = this.#positions.get(key) ?? (await this.#log.beginningOffset(tp));
      while (next < end) {
        const records = await this.#log.read(tp, next, { maxRecords: READ_BATCH });
        if (records.length === 0) break;
        for (const record of records) apply(record);
        next = records[records.length - 1]!.offset + 1;
      }
      this.#positions.set(key, next);
    }
  }

  #applySource(record: LogRecord): void {
    const id = record.key?.toString('utf8');
    if (id === undefined) return;
    if (record.value === null) this.#sources.delete(id);
    else this.#sources.set(id, this.#serdes.source.deserialize(record.value, record.topic));
  }

  #applyChannel(record: LogRecord): void {
    const id = record.key?.toString('utf8');
    if (id === undefined) return;
    if (record.value === null) this.#channels.delete(id);
    else this.#channels.set(id, this.#serdes.channel.deserialize(record.value, record.topic));
  }
}
