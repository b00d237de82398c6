// A worker thread that sends POST requests (Source API message payloads) with a fixed number in
// flight and reports each request's latency, so the load generator runs on its own core rather
// than on the event loop of the server it measures. Plain JavaScript: a worker thread does not
// get the TypeScript loader of its parent. Job and result shapes: see http-load.ts.
import { parentPort, workerData } from 'node:worker_threads';

export const sourceMessage = (n, conversations) => ({
  source_message_id: `m-${n}`,
  source_conversation_id: `contact-${n % conversations}`,
  source_channel_id: 'web',
  sent_at: 1_700_000_000_000 + n,
  content: { text: `message ${n}` },
  from_contact: true,
});

async function run(job) {
  const latencies = [];
  let next = 0;
  let last;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < job.count) {
        const i = next++;
        const messages = Array.from({ length: job.batch }, (_, j) => sourceMessage(job.first + i * job.batch + j, job.conversations));
        const t = performance.now();
        const response = await fetch(job.url, {
          method: 'POST',
          headers: { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ messages }),
        });
        const body = await response.json();
        latencies.push(performance.now() - t);
        if (response.status !== 200) throw new Error(`${job.url} answered ${response.status}: ${JSON.stringify(body)}`);
        if (i === job.count - 1) last = body;
      }
    }),
  );
  return { latencies, seconds: (performance.now() - start) / 1000, last };
}

if (parentPort) {
  run(workerData).then(
    (result) => parentPort.postMessage({ result }),
    (err) => parentPort.postMessage({ error: String(err) }),
  );
}
