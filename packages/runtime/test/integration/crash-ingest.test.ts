import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forEachBackend, killChild, startChildPlatform, tempDir, type ChildPlatform, type LogConfig } from '../helpers.js';
import { call as post } from './instances.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts the platform in a child process; resolves with it and its URL once it serves. */
function startPlatform(dataDir: string, log: LogConfig): Promise<ChildPlatform> {
  return startChildPlatform(path.join(here, 'fixtures/run-platform.ts'), [dataDir, JSON.stringify(log)]);
}

const killed = killChild;

forEachBackend('Runtime > crash while ingesting through the Source API', function (backend) {
  this.timeout(120_000);

  it('after a SIGKILL mid-ingest, every acknowledged message appears exactly once, and last_message is right', async () => {
    const dataDir = tempDir('crash-ingest');
    // On Kafka the restarted platform gets the killed one's partitions once its session times out:
    // the shortest timeout the broker accepts keeps the test from waiting out the 30 s default.
    const log = backend.name === 'kafka' ? { ...backend.freshLog(), sessionTimeoutMs: 6000, heartbeatIntervalMs: 1000 } : backend.freshLog();
    let { child, url } = await startPlatform(dataDir, log);
    try {
      const system = fs.readFileSync(path.join(dataDir, 'auth', 'system-token'), 'utf8').trim();
      const created = await post(url, 'sources.create', system, { id: 'crash-shop' });
      expect(created.status).to.be.oneOf([200, 201]);
      const sourceToken: string = created.body.token;
      expect((await post(url, 'sources.channels.create', system, { source_id: 'crash-shop', source_channel_id: 'web' })).status).to.be.oneOf([200, 201]);

      // Four concurrent writers send numbered messages to 10 conversations until the kill.
      const acknowledged = new Map<string, { conversationId: string; sentAt: number }>();
      let sequence = 0;
      let stop = false;
      const writer = async () => {
        while (!stop) {
          const n = sequence++;
          const message = {
            source_message_id: `m-${n}`,
            source_conversation_id: `contact-${n % 10}`,
            source_channel_id: 'web',
            sent_at: 1_700_000_000_000 + n,
            content: { text: `message ${n}` },
            from_contact: true,
          };
          try {
            const response = await fetch(`${url}/sources.webhook`, {
              method: 'POST',
              headers: { authorization: `Bearer ${sourceToken}`, 'content-type': 'application/json' },
              body: JSON.stringify({ messages: [message] }),
            });
            if (response.status === 200) {
              const body = (await response.json()) as { messages: { message_id: string; conversation_id: string }[] };
              acknowledged.set(body.messages[0]!.message_id, { conversationId: body.messages[0]!.conversation_id, sentAt: message.sent_at });
            }
          } catch {
            return; // the platform was killed mid-request: that message was not acknowledged
          }
        }
      };
      const writers = Array.from({ length: 4 }, writer);
      while (acknowledged.size < 300) await new Promise((r) => setTimeout(r, 10));
      await killed(child);
      stop = true;
      await Promise.all(writers);
      expect(acknowledged.size).to.be.at.least(300);

      ({ child, url } = await startPlatform(dataDir, log));
      const byConversation = new Map<string, string[]>();
      for (const [messageId, { conversationId }] of acknowledged) {
        byConversation.set(conversationId, [...(byConversation.get(conversationId) ?? []), messageId]);
      }
      // The router and the read model catch up after the restart: poll until every message is listed.
      const deadline = Date.now() + 60_000;
      for (const [conversationId, expected] of byConversation) {
        let listed: string[] = [];
        for (;;) {
          listed = [];
          let cursor: string | null | undefined;
          do {
            const page = await post(url, 'messages.list', system, { conversation_id: conversationId, page_size: 100, ...(cursor ? { cursor } : {}) });
            if (page.status !== 200) break;
            listed.push(...page.body.data.map((m: { id: string }) => m.id));
            cursor = page.body.pagination_data.next_cursor;
          } while (cursor);
          if (expected.every((id) => listed.includes(id)) || Date.now() > deadline) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        expect(expected.filter((id) => !listed.includes(id)), `missing in ${conversationId}`).to.deep.equal([]);
        expect(new Set(listed).size, `duplicates in ${conversationId}`).to.equal(listed.length);
        const info = await post(url, 'conversations.info', system, { conversation_id: conversationId });
        expect(info.status).to.equal(200);
        const latest = expected.reduce((a, b) => (acknowledged.get(a)!.sentAt >= acknowledged.get(b)!.sentAt ? a : b));
        // Unacknowledged messages may also have landed (written before the kill, answer lost): the last one listed wins.
        const lastListed = listed[listed.length - 1];
        expect(info.body.last_message.id).to.equal(lastListed);
        expect(listed.indexOf(latest)).to.be.greaterThan(-1);
      }
    } finally {
      await killed(child);
    }
  });
});
