/**
 * How `parley reprocess start` shows a shadow catching up: on a terminal, one progress bar per
 * input (cli-progress: records, rate, lag, ETA); otherwise plain lines, one per input when it moved.
 */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { CliIo } from './io.js';
import type { ReprocessInput, ReprocessStatus } from './runtime-client.js';

export interface ProgressView {
  update(status: ReprocessStatus): void;
  stop(): void;
}

/** `processed/end records, rate/s, lag n, ETA s` for one input. */
export function progressLine(input: ReprocessInput): string {
  const rate = input.rate === null ? '?' : String(input.rate);
  const eta = input.eta_seconds === null ? '?' : `${input.eta_seconds}s`;
  return `${input.topic}: ${input.processed}/${input.end} records, ${rate}/s, lag ${input.lag}, ETA ${eta}`;
}

/** Bars on an interactive terminal (standard error), plain lines on `io.stdout` otherwise. */
export function progressView(io: CliIo): ProgressView {
  return io.interactive === true ? new BarsView() : new LinesView(io);
}

class BarsView implements ProgressView {
  readonly #bars = new MultiBar({ format: '{topic} [{bar}] {value}/{total} | {rate}/s | lag {lag} | ETA {eta_s}', hideCursor: true, clearOnComplete: false }, Presets.shades_classic);
  readonly #byTopic = new Map<string, SingleBar>();

  update(status: ReprocessStatus): void {
    for (const input of status.inputs) {
      const payload = { topic: input.topic, rate: input.rate ?? '?', lag: input.lag, eta_s: input.eta_seconds === null ? '?' : `${input.eta_seconds}s` };
      const bar = this.#byTopic.get(input.topic);
      if (bar === undefined) this.#byTopic.set(input.topic, this.#bars.create(input.end, input.processed, payload));
      else {
        bar.setTotal(input.end);
        bar.update(input.processed, payload);
      }
    }
  }

  stop(): void {
    this.#bars.stop();
  }
}

class LinesView implements ProgressView {
  readonly #io: CliIo;
  readonly #last = new Map<string, string>();

  constructor(io: CliIo) {
    this.#io = io;
  }

  update(status: ReprocessStatus): void {
    for (const input of status.inputs) {
      const position = `${input.processed}/${input.end}`;
      if (this.#last.get(input.topic) === position) continue;
      this.#last.set(input.topic, position);
      this.#io.stdout(`${progressLine(input)}\n`);
    }
  }

  stop(): void {}
}
