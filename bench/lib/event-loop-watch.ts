import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Writes a line to stderr for every second in which the event loop was held for longer than
 * `thresholdMs` at once (a stalled platform reads like a refused request from the load generator).
 */
export function watchEventLoop(thresholdMs: number): void {
  const histogram = monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  setInterval(() => {
    const maxMs = histogram.max / 1e6;
    if (maxMs > thresholdMs) process.stderr.write(`${new Date().toISOString()} event loop held ${Math.round(maxMs)} ms; RSS ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MB\n`);
    histogram.reset();
  }, 1000).unref();
}
