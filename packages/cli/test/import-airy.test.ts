import { expect } from 'chai';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contactId, nameBasedUuid } from '@parley/schemas';
import type { Log } from '@parley/streams';
import { airyContactRecords, airyConversation, airyInstallation, type AiryInstallation } from './airy-fixtures.js';
import { runParley, spawnParley, tempDir, type ParleyProcess } from './helpers.js';

const brokers = (process.env.KAFKA_BROKERS ?? '').trim();
/** Runs with a real broker (`npm test` starts one); pending with the reason without, failing under CI. */
const describeIfKafka = (title: string, fn: (this: Mocha.Suite) => void) =>
  brokers !== ''
    ? describe(title, fn)
    : describe(title, () => {
        if (/^(true|1)$/i.test(process.env.CI ?? '')) it('needs KAFKA_BROKERS under CI', () => expect.fail('KAFKA_BROKERS is not set under CI'));
        else it('runs against a real Apache Kafka broker (KAFKA_BROKERS not set: run `npm test`)');
      });

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Fills an Airy installation's topics under `namespace` (messages on two partitions, as Airy's ten would spread them); `create` false: they exist. */
async function fillAiry(namespace: string, airy: Pick<AiryInstallation, 'records'>, create = true): Promise<void> {
  const { KafkaLog } = await import('@parley/streams/kafka');
  const log: Log = new KafkaLog({ brokers: brokers.split(','), namespace });
  await log.open();
  try {
    const topics = [...new Set(airy.records.map((r) => r.topic))];
    if (create) await log.createTopics(topics.map((name) => ({ name, partitions: name.endsWith('.messages') ? 2 : 1, config: { cleanupPolicy: 'compact' as const } })));
    for (const name of topics) {
      const records = airy.records.filter((r) => r.topic === name).map((r) => ({ key: Buffer.from(r.key), value: r.value, timestamp: r.timestamp }));
      await log.append(name, records);
    }
  } finally {
    await log.close();
  }
}

describeIfKafka('Cli > import airy (real Kafka, the real binary, a started platform)', function () {
  this.timeout(300_000);
  const namespace = `airy-${randomBytes(4).toString('hex')}`;
  const airy = airyInstallation(7);
  let cwd: string;
  let platform: ParleyProcess;
  let url: string;
  let token: string;
  const post = async (route: string, body: object) => {
    const res = await fetch(`${url}/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as any;
  };
  const importAiry = (...extra: string[]) => runParley(['import', 'airy', '--brokers', brokers, '--topics-prefix', `${namespace}.`, ...extra], { cwd });
  const endOffsets = async () => {
    const listed = await post('topics.list', { name_prefix: 'application.communication.', page_size: 100 });
    return Object.fromEntries(listed.data.map((t: any) => [t.name, t.partitions.map((p: any) => p.end_offset).join(',')]));
  };
  let first: any;

  before(async () => {
    cwd = tempDir('import-airy');
    platform = spawnParley(['start', '--port', '0'], { cwd });
    [, url] = (await platform.waitFor(/running at (http:\/\/127\.0\.0\.1:\d+)/, 60_000)) as unknown as [string, string];
    await platform.waitFor(/Ctrl\+C/, 60_000);
    token = fs.readFileSync(path.join(cwd, '.parley-data', 'auth', 'system-token'), 'utf8').trim();
    await fillAiry(namespace, airy);
    const result = await importAiry('--json');
    expect(result.code, result.stderr).to.equal(0);
    first = JSON.parse(result.stdout);
  });
  after(async () => {
    platform.child.kill('SIGTERM');
    expect(await platform.exited).to.equal(0);
  });

  it('reports what it read and wrote per Airy topic, with the schema ids met', () => {
    const byTopic = Object.fromEntries(first.topics.map((t: any) => [t.topic.replace('application.communication.', ''), t]));
    expect(byTopic.channels).to.include({ present: true, records: 2, latest: 2, written: 2 });
    expect(byTopic.channels.schema_ids).to.deep.equal([1]);
    expect(byTopic.messages.schema_ids).to.deep.equal([2, 8]); // today's Message schema and Airy's first
    expect(byTopic.messages.written).to.equal(airy.messages.length);
    expect(byTopic.tags.written).to.equal(1);
    expect(byTopic.templates.written).to.equal(1);
    expect(byTopic['read-receipt'].written).to.equal(1);
    expect(byTopic.contacts.written).to.equal(3); // Airy's two attributes, and merged_into on the derived contact of its conversation
    expect(byTopic.sources.written).to.equal(1);
    expect(first.totals.unchanged).to.equal(1); // the tombstone of an attribute Parley never had
  });

  it('counts and explains the records it skipped or could not read, with their positions', () => {
    const reasons = first.topics.flatMap((t: any) => [...Object.keys(t.skipped), ...Object.keys(t.bad)]).join('\n');
    for (const fragment of [...airy.badReasons, ...airy.skippedReasons]) expect(reasons).to.include(fragment);
    expect(first.totals.bad).to.equal(airy.badReasons.length);
    expect(first.bad_records.filter((b: any) => b.partition >= 0)).to.have.length(2);
  });

  it("serves Airy's channels, conversations and messages with Airy's ids and content", async () => {
    const conversationIds = [...new Set(airy.messages.map((m) => m.conversationId))].sort();
    const conversations = await eventually(
      () => post('conversations.list', { page_size: 50 }),
      (r) => r.data?.length === conversationIds.length && r.data.every((c: any) => c.metadata.unread_count !== undefined),
    );
    expect(conversations.data.map((c: any) => c.id).sort()).to.deep.equal(conversationIds);
    for (const c of conversations.data) {
      const expected = airy.displayNames.get(c.id);
      if (expected !== undefined) expect(c.metadata.contact.display_name).to.equal(expected);
    }
    const channels = await post('channels.list', {});
    expect(channels.data.map((c: any) => [c.id, c.source, c.source_channel_id]).sort()).to.deep.equal(airy.channels.map((c) => [c.id, c.source, c.sourceChannelId]).sort());
    expect(JSON.stringify(channels)).to.not.include('page-token-secret');
    for (const conversationId of conversationIds) {
      const expected = airy.messages.filter((m) => m.conversationId === conversationId);
      const listed = await eventually(
        () => post('messages.list', { conversation_id: conversationId, page_size: 50 }),
        (r) => r.data?.length === expected.length,
      );
      const shown = listed.data.map((m: any) => [m.id, JSON.stringify(m.content), m.from_contact, m.delivery_state, m.sent_at]).sort();
      const want = expected.map((m) => [m.id, JSON.stringify(parsed(m.content)), m.isFromContact, m.deliveryState.toLowerCase(), new Date(m.sentAt).toISOString()]).sort();
      expect(shown).to.deep.equal(want);
    }
    const bot = airy.messages.find((m) => m.senderType === 'APP_USER')!;
    const listed = await post('messages.list', { conversation_id: bot.conversationId, page_size: 50 });
    expect(listed.data.find((m: any) => m.id === bot.id).sender).to.deep.equal({ id: 'rasa-bot', type: 'app' });
  });

  it('carries metadata, read receipts, tags, templates and sources over', async () => {
    const conv1 = airy.messages[0]!.conversationId;
    const info = await post('conversations.info', { conversation_id: conv1 });
    expect(info.metadata.state).to.equal('OPEN');
    expect(info.metadata.tags).to.have.property(airy.tags[0]!.id);
    // The read receipt is later than every message: nothing is unread; Airy's unread_count (3) was not imported.
    expect(info.metadata.unread_count).to.equal(0);
    const conv2 = airy.messages[4]!.conversationId;
    const info2 = await post('conversations.info', { conversation_id: conv2 });
    expect([info2.metadata.user_data?.score, info2.metadata.state]).to.deep.equal([42, undefined]);
    expect((await post('tags.list', {})).data).to.deep.include({ id: airy.tags[0]!.id, name: 'VIP', color: 'tag-purple' });
    expect((await post('templates.list', {})).data.map((t: any) => [t.id, t.name])).to.deep.include([airy.templates[0]!.id, 'hello']);
    const sources = await post('sources.list', {});
    expect(sources.data.map((x: any) => [x.id, x.name])).to.deep.include([airy.sources[0]!.id, 'Acme CRM']);
    expect(JSON.stringify(sources)).to.not.include('source-token-secret');
  });

  it("shows each person once: the conversation's derived contact is folded into Airy's contact, which keeps Airy's id", async () => {
    const [conv1, conv2, conv3] = [...new Set(airy.messages.map((m) => m.conversationId))] as [string, string, string];
    const airyContact = nameBasedUuid('', conv1);
    const expected = [airyContact, contactId(conv2), contactId(conv3)].sort();
    const listed = await eventually(
      () => post('contacts.list', { page_size: 50 }),
      (r) => expected.every((id) => r.data?.some((c: any) => c.id === id)),
    );
    expect(listed.data.map((c: any) => c.id).sort()).to.deep.equal(expected);
    expect(await post('contacts.info', { conversation_id: conv1 })).to.deep.include({ id: airyContact, display_name: 'Ada Lovelace', conversations: { [conv1]: 'facebook' } });
    expect((await post('contacts.info', { id: airyContact })).conversations).to.deep.equal({ [conv1]: 'facebook' });
    expect((await post('contacts.info', { id: contactId(conv1) })).id).to.equal(undefined);
  });

  it('run again, appends nothing: every record is already there', async () => {
    const before = await endOffsets();
    const again = await importAiry('--json');
    expect(again.code, again.stderr).to.equal(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.totals.written).to.equal(0);
    expect(summary.totals.unchanged).to.equal(first.totals.written + first.totals.unchanged);
    expect(await endOffsets()).to.deep.equal(before);
    const conversations = await post('conversations.list', { page_size: 50 });
    expect(conversations.data).to.have.length(new Set(airy.messages.map((m) => m.conversationId)).size);
    expect((await post('contacts.list', { page_size: 50 })).data).to.have.length(3);
  });

  it('prints a table and one progress line per topic when not at a terminal; --dry-run writes nothing', async () => {
    const result = await importAiry('--dry-run');
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^AIRY TOPIC +RECORDS +LATEST +TO WRITE +ALREADY THERE +SKIPPED +BAD$/m);
    expect(result.stdout).to.match(/would write 0 Parley records/);
    expect(result.stderr).to.match(/^reading application\.communication\.messages: \d+\/\d+$/m);
  });

  it('folds derived contacts in whichever order contacts and messages come, merging one an agent edited, and stays idempotent', async () => {
    const facebook = airy.channels[0]!;
    const t = Date.UTC(2024, 5, 1);
    const later = airyConversation(facebook, 'psid-contact-later', t); // messages first, Airy's contact in the next round
    const early = airyConversation(facebook, 'psid-contact-early', t + 3_600_000); // Airy's contact first, messages in the next round
    const [laterContact, earlyContact] = [nameBasedUuid('', later.conversationId), randomUUID()];
    // Linked before the conversation's first message: without the fold, the derived contact's later link would win the conversation.
    await fillAiry(namespace, { records: [...later.records, ...airyContactRecords(earlyContact, { displayName: 'Early Bird', [`conversations.${early.conversationId}`]: 'facebook' }, t - 1000)] }, false);
    expect((await importAiry()).code).to.equal(0);
    const derived = await eventually(
      () => post('contacts.info', { conversation_id: later.conversationId }),
      (r) => r.id === contactId(later.conversationId),
    );
    expect((await post('contacts.update', { id: derived.id, title: 'Countess' })).title).to.equal('Countess');

    await fillAiry(namespace, { records: [...airyContactRecords(laterContact, { displayName: 'Late Comer', [`conversations.${later.conversationId}`]: 'facebook' }, t + 7_200_000), ...early.records] }, false);
    expect((await importAiry()).code).to.equal(0);
    const owners = async () => [(await post('contacts.info', { conversation_id: later.conversationId })).id, (await post('contacts.info', { conversation_id: early.conversationId })).id];
    await eventually(owners, ([a, b]) => a === laterContact && b === earlyContact);
    await eventually(() => post('conversations.list', { page_size: 50 }), (r) => r.data?.some((c: any) => c.id === early.conversationId));
    const merged = await post('contacts.info', { id: laterContact });
    // Airy's displayName is Parley's display_name; the title came from the derived contact an agent edited.
    expect(merged).to.deep.include({ display_name: 'Late Comer', title: 'Countess', conversations: { [later.conversationId]: 'facebook' } });
    expect((await post('contacts.info', { id: earlyContact })).display_name).to.equal('Early Bird');
    expect(merged.merge_history.map((c: any) => [c.id, c.title])).to.deep.equal([[derived.id, 'Countess']]);
    const ids = (await post('contacts.list', { page_size: 50 })).data.map((c: any) => c.id);
    expect(ids).to.include.members([laterContact, earlyContact]);
    expect(ids).to.not.include.members([contactId(later.conversationId)]);
    expect(ids).to.not.include.members([contactId(early.conversationId)]);

    const before = await endOffsets();
    const again = await importAiry('--json');
    expect(JSON.parse(again.stdout).totals.written).to.equal(0);
    expect(await endOffsets()).to.deep.equal(before);
    expect(await owners()).to.deep.equal([laterContact, earlyContact]);
  });

  it('refuses a bad --brokers (exit 2), an unreachable runtime or Airy (exit 3), a prefix with no Airy topics (exit 2)', async () => {
    const usage = await runParley(['import', 'airy', '--brokers', 'no-port'], { cwd });
    expect([usage.code, usage.stderr.includes('--brokers')]).to.deep.equal([2, true]);
    const noRuntime = await runParley(['import', 'airy', '--brokers', brokers, '--url', 'http://127.0.0.1:9'], { cwd: tempDir('nowhere') });
    expect([noRuntime.code, noRuntime.stderr.split(':')[0]]).to.deep.equal([3, 'CLI_RUNTIME_UNREACHABLE']);
    const noAiry = await runParley(['import', 'airy', '--brokers', '127.0.0.1:9'], { cwd });
    expect([noAiry.code, noAiry.stderr.split(':')[0]]).to.deep.equal([3, 'CLI_AIRY_UNREACHABLE']);
    const nothing = await runParley(['import', 'airy', '--brokers', brokers, '--topics-prefix', `${namespace}-none`], { cwd });
    expect([nothing.code, nothing.stderr.split(':')[0]]).to.deep.equal([2, 'CLI_AIRY_NOT_FOUND']);
  });
});

function parsed(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

describeIfKafka('Cli > import airy into a Parley on Kafka (the log backend does not matter)', function () {
  this.timeout(300_000);
  const namespace = `airy-${randomBytes(4).toString('hex')}`;
  const airy = airyInstallation(11);

  it("imports once, serves Airy's conversations, and appends nothing the second time", async () => {
    await fillAiry(namespace, airy);
    const cwd = tempDir('import-airy-kafka');
    const config = `log:\n  backend: kafka\n  brokers: [${brokers}]\n  namespace: parley-${randomBytes(4).toString('hex')}\n`;
    fs.writeFileSync(path.join(cwd, 'parley.yaml'), config);
    const platform = spawnParley(['start', '--port', '0'], { cwd });
    try {
      const [, url] = (await platform.waitFor(/running at (http:\/\/127\.0\.0\.1:\d+)/, 120_000)) as unknown as [string, string];
      await platform.waitFor(/Ctrl\+C/, 120_000);
      const token = fs.readFileSync(path.join(cwd, '.parley-data', 'auth', 'system-token'), 'utf8').trim();
      const post = async (route: string, body: object) => (await (await fetch(`${url}/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as any;
      const importAiry = async () => {
        const result = await runParley(['import', 'airy', '--brokers', brokers, '--topics-prefix', namespace, '--json'], { cwd });
        expect(result.code, result.stderr).to.equal(0);
        return JSON.parse(result.stdout).totals;
      };
      const first = await importAiry();
      expect(first.written).to.be.greaterThan(airy.messages.length + airy.channels.length);
      expect(first.bad).to.equal(airy.badReasons.length);
      const conversationIds = [...new Set(airy.messages.map((m) => m.conversationId))].sort();
      const listed = await eventually(() => post('conversations.list', { page_size: 50 }), (r) => r.data?.length === conversationIds.length);
      expect(listed.data.map((c: any) => c.id).sort()).to.deep.equal(conversationIds);
      const again = await importAiry();
      expect([again.written, again.unchanged]).to.deep.equal([0, first.written + first.unchanged]);
    } finally {
      platform.child.kill('SIGTERM');
      await platform.exited;
    }
  });
});
