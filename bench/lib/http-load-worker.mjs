// A worker thread that sends POST requests (Source API message payloads, or signed Twilio or
// Messenger webhooks) with a fixed number in flight and reports each request's latency, so the
// load generator runs on its own core rather than on the event loop of the server it measures. Plain JavaScript: a worker thread does not
// get the TypeScript loader of its parent. Job and result shapes: see http-load.ts.
//
// The client is an undici Pool with one keep-alive connection per request in flight: Node's
// fetch (also undici, behind the WHATWG layer) topped out near 1.7k requests/s here, below the
// server it was meant to measure.
import { createHmac } from 'node:crypto';
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

/**
 * Inbound SMS number `n` as Twilio posts it (form-encoded) and its X-Twilio-Signature: base64
 * HMAC-SHA1 of the signed URL plus the parameters sorted by name as name+value.
 */
export const twilioInbound = (n, conversations, twilio) => {
  const params = {
    MessageSid: `SM${String(n).padStart(32, '0')}`,
    AccountSid: twilio.accountSid,
    From: `+4917${String(n % conversations).padStart(9, '0')}`,
    To: twilio.to,
    Body: `message ${n}`,
    NumMedia: '0',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
  };
  const signed = Object.keys(params).sort().reduce((text, name) => text + name + params[name], twilio.signedUrl);
  return { body: new URLSearchParams(params).toString(), signature: createHmac('sha1', twilio.authToken).update(signed, 'utf8').digest('base64') };
};

/**
 * Messenger message number `n` as Meta posts it to the page's webhook (one entry, one event) and
 * its X-Hub-Signature-256: `sha256=` + hex HMAC-SHA256 of the raw body with the app secret.
 */
export const facebookInbound = (n, conversations, facebook) => {
  const timestamp = 1_700_000_000_000 + n;
  const event = { sender: { id: `${facebook.psidPrefix}${n % conversations}` }, recipient: { id: facebook.pageId }, timestamp, message: { mid: `m_${n}`, text: `message ${n}` } };
  const body = JSON.stringify({ object: 'page', entry: [{ id: facebook.pageId, time: timestamp, messaging: [event] }] });
  return { body, signature: `sha256=${createHmac('sha256', facebook.appSecret).update(body).digest('hex')}` };
};

/** The headers and body of request `i`. */
function requestOf(job, i, headers) {
  if (job.twilio !== undefined) {
    const inbound = twilioInbound(job.first + i, job.conversations, job.twilio);
    return { headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': inbound.signature }, body: inbound.body };
  }
  if (job.facebook !== undefined) {
    const inbound = facebookInbound(job.first + i, job.conversations, job.facebook);
    return { headers: { 'content-type': 'application/json', 'x-hub-signature-256': inbound.signature }, body: inbound.body };
  }
  const messages = Array.from({ length: job.batch }, (_, j) => sourceMessage(job.first + i * job.batch + j, job.conversations));
  return { headers, body: JSON.stringify({ messages }) };
}

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
          const request = requestOf(job, i, headers);
          const t = performance.now();
          const response = await pool.request({ path: target.pathname, method: 'POST', ...request }).catch((err) => {
            throw new Error(`request ${i} of ${job.count}, ${((performance.now() - start) / 1000).toFixed(1)} s into the load, ${(performance.now() - t).toFixed(0)} ms after it was sent: ${err?.code ?? ''} ${String(err)}`);
          });
          const body = job.twilio === undefined ? await response.body.json() : await response.body.text();
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
