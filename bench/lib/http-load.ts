import { Worker } from 'node:worker_threads';

export interface LoadJob {
  url: string;
  token: string;
  /** First message number and how many requests to send. */
  first: number;
  count: number;
  concurrency: number;
  /** Messages per request and the number of distinct conversations they spread over. */
  batch: number;
  conversations: number;
}

export interface LoadResult {
  /** Each request's latency, in ms. */
  latencies: number[];
  seconds: number;
  /** The answer to the last request, parsed. */
  last: unknown;
}

/** The Source API message number `n` (the same payload the worker sends). */
export const sourceMessage = (n: number, conversations: number) => ({
  source_message_id: `m-${n}`,
  source_conversation_id: `contact-${n % conversations}`,
  source_channel_id: 'web',
  sent_at: 1_700_000_000_000 + n,
  content: { text: `message ${n}` },
  from_contact: true,
});

/** Runs a load job in a worker thread (http-load-worker.mjs). */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-load-worker.mjs', import.meta.url), { workerData: job });
    worker.once('message', (message: { result?: LoadResult; error?: string }) => {
      void worker.terminate();
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.result!);
    });
    worker.once('error', reject);
  });
}
