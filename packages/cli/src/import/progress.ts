/**
 * Progress of a long import on standard error: a cli-progress bar at a terminal, otherwise one
 * plain line per finished step (logs and CI output stay readable).
 */
import cliProgress from 'cli-progress';
import type { CliIo } from '../io.js';

export interface Progress {
  /** `done` of `total` units of the step named `label` (a new label finishes the previous step). */
  update(label: string, done: number, total: number): void;
  /** Finishes the current step. */
  stop(): void;
}

export function progressFor(io: CliIo): Progress {
  return io.interactive === true && process.stderr.isTTY === true ? barProgress() : lineProgress(io);
}

function barProgress(): Progress {
  const bar = new cliProgress.SingleBar({ format: '{step} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true, clearOnComplete: false }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(label, done, total) {
      if (!started) bar.start(total, done, { step: label });
      started = true;
      bar.setTotal(total);
      bar.update(done, { step: label });
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function lineProgress(io: CliIo): Progress {
  let current: { label: string; done: number; total: number } | undefined;
  const finish = () => {
    if (current !== undefined) io.stderr(`${current.label}: ${current.done}/${current.total}\n`);
    current = undefined;
  };
  return {
    update(label, done, total) {
      if (current !== undefined && current.label !== label) finish();
      current = { label, done, total };
    },
    stop: finish,
  };
}
