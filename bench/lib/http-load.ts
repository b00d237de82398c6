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
  /** Send signed Twilio inbound SMS (form-encoded, one per request) instead of Source API payloads. */
  twilio?: { accountSid: string; authToken: string; signedUrl: string; to: string };
  /** Send signed Messenger webhooks (one message each, from `<psidPrefix><n % conversations>` to the page) instead. */
  facebook?: { appSecret: string; pageId: string; psidPrefix: string };
}

export interface LoadResult {
  /** Each request's latency, in ms. */
  latencies: number[];
  seconds: number;
  /** The answer to the last request, parsed. */
  last: unknown;
}

/** The Source API message number `n`: the payload the worker sends, from the worker's own module. */
export { sourceMessage } from './http-load-worker.mjs';

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
