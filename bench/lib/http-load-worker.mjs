// A worker thread that sends POST requests (Source API message payloads) with a fixed number in
// flight and reports each request's latency, so the load generator runs on its own core rather
// than on the event loop of the server it measures. Plain JavaScript: a worker thread does not
// get the TypeScript loader of its parent. Job and result shapes: see http-load.ts.
//
// The client is an undici Pool with one keep-alive connection per request in flight: Node's
// fetch (also undici, behind the WHATWG layer) topped out near 1.7k requests/s here, below the
// server it was meant to measure.
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

export const sourceMessage = (n, conversations) => ({
  source_message_id: `m-${n}`,
  source_conversation_id: `contact-${n % conversations}`,
  source_channel_id: 'web',
  sent_at: 1_700_000_000_000 + n,
  content: { text: `message ${n}` },
  from_contact: true,
});

async function run(job) {
  const target = new URL(job.url);
  const pool = new Pool(target.origin, { connections: job.concurrency, pipelining: 1 });
  const headers = { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' };
  const latencies = [];
  let next = 0;
  let last;
  const start = performance.now();
  try {
    await Promise.all(
      Array.from({ length: job.concurrency }, async () => {
        while (next < job.count) {
          const i = next++;
          const messages = Array.from({ length: job.batch }, (_, j) => sourceMessage(job.first + i * job.batch + j, job.conversations));
          const t = performance.now();
          const response = await pool.request({ path: target.pathname, method: 'POST', headers, body: JSON.stringify({ messages }) });
          const body = await response.body.json();
          latencies.push(performance.now() - t);
          if (response.statusCode !== 200) throw new Error(`${job.url} answered ${response.statusCode}: ${JSON.stringify(body)}`);
          if (i === job.count - 1) last = body;
        }
      }),
    );
    return { latencies, seconds: (performance.now() - start) / 1000, last };
  } finally {
    await pool.close();
  }
}

if (parentPort) {
  run(workerData).then(
    (result) => parentPort.postMessage({ result }),
    (err) => parentPort.postMessage({ error: String(err) }),
  );
}
