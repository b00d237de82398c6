import type { PartitionLag } from '@parley/streams';

/** Progress of one input topic of a shadow, over its partitions. */
export interface InputProgress {
  topic: string;
  /** Offsets processed, summed over partitions (records read, for a topic never compacted). */
  processed: number;
  /** End offsets, summed over partitions. */
  end: number;
  lag: number;
  /** Input records per second over the last seconds; null until two measures were taken. */
  rate: number | null;
  /** Seconds to catch up at that rate; null when unknown, 0 when caught up. */
  etaSeconds: number | null;
}

/** How far back the rate looks. */
const WINDOW_MS = 10_000;

interface Sample {
  at: number;
  processed: number;
}

/** Turns successive lag readings of an application into progress per input with a rate and an ETA. */
export class ProgressMeter {
  readonly #samples = new Map<string, Sample[]>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  measure(applicationId: string, lags: readonly PartitionLag[]): InputProgress[] {
    const byTopic = new Map<string, { processed: number; end: number; lag: number }>();
    for (const l of lags) {
      const t = byTopic.get(l.topic) ?? { processed: 0, end: 0, lag: 0 };
      byTopic.set(l.topic, { processed: t.processed + l.processedOffset, end: t.end + l.endOffset, lag: t.lag + l.lag });
    }
    const now = this.#now();
    return [...byTopic].sort(([a], [b]) => a.localeCompare(b)).map(([topic, t]) => {
      const key = `${applicationId}\0${topic}`;
      const samples = (this.#samples.get(key) ?? []).filter((s) => now - s.at <= WINDOW_MS && s.processed <= t.processed);
      samples.push({ at: now, processed: t.processed });
      this.#samples.set(key, samples);
      const first = samples[0]!;
      const rate = now > first.at ? ((t.processed - first.processed) * 1000) / (now - first.at) : null;
      const etaSeconds = t.lag === 0 ? 0 : rate !== null && rate > 0 ? Math.ceil(t.lag / rate) : null;
      return { topic, ...t, rate: rate === null ? null : Math.round(rate), etaSeconds };
    });
  }
}
