/**
 * `parley import airy` end to end: an Airy installation of AIRY_MESSAGES messages (ten
 * partitions, as Airy created its topics) and a display name per conversation, on a real
 * Kafka broker; a platform on the embedded log in this process; the CLI run in this process
 * against it, twice. Figures: Airy records per second of the first run (read, compare, write) and
 * of the second (read and compare: it writes nothing).
 */
import { run as runCli } from '@parley/cli';
import { airyImport, createPlatform, type Runtime } from '@parley/runtime';
import { channelId, conversationId, messageId, nameBasedUuid } from '@parley/schemas';
import { avroSerde, type AvroSchema } from '@parley/streams/avro';
import { KafkaLog } from '@parley/streams/kafka';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withTempDir } from '../lib/temp.js';
import type { BenchResult, BenchSuite } from '../lib/types.js';
import { withKafkaBroker } from './kafka-broker.js';

const AIRY_MESSAGES = Number(process.env['PARLEY_BENCH_AIRY_MESSAGES'] ?? 20_000);
const CONVERSATIONS = AIRY_MESSAGES / 10;

const topic = (dataset: string) => `application.communication.${dataset}`;

/** Fills the Airy topics under `namespace`; returns the number of records written. */
async function fillAiry(brokers: string[], namespace: string): Promise<number> {
  const log = new KafkaLog({ brokers, namespace });
  await log.open();
  try {
    const frame = (schema: object, id: number) => {
      const type = avroSerde(schema as AvroSchema).type;
      return (value: object) => airyImport.confluentFrame(id, type.toBuffer(value));
    };
    const [channel, message, metadata] = [frame(airyImport.AIRY_CHANNEL_SCHEMA, 1), frame(airyImport.AIRY_MESSAGE_SCHEMA, 2), frame(airyImport.AIRY_METADATA_SCHEMA, 3)];
    await log.createTopics([{ name: topic('channels') }, { name: topic('messages'), partitions: 10 }, { name: topic('metadata'), partitions: 10 }]);
    const page = { id: channelId('facebook', 'bench-page'), source: 'facebook', sourceChannelId: 'bench-page', token: null, connectionState: 'CONNECTED' };
    await log.append(topic('channels'), [{ key: Buffer.from(page.id), value: channel(page) }]);
    const messages = [];
    const attributes = [];
    for (let i = 0; i < AIRY_MESSAGES; i++) {
      const contact = `psid-${i % CONVERSATIONS}`;
      const conversation = conversationId(page.id, contact);
      const id = messageId(page.id, `mid-${i}`);
      const content = JSON.stringify({ sender: { id: contact }, message: { mid: `mid-${i}`, text: `message ${i}: a sentence of ordinary length` } });
      messages.push({ key: Buffer.from(id), value: message({ id, headers: null, isFromContact: i % 2 === 0, deliveryState: 'DELIVERED', senderId: contact, sourceRecipientId: null, conversationId: conversation, channelId: page.id, source: 'facebook', content, sentAt: 1_700_000_000_000 + i * 1000, updatedAt: null }) });
      if (i < CONVERSATIONS) {
        const subject = `conversation:${conversation}`;
        attributes.push({ key: Buffer.from(nameBasedUuid(subject, 'contact.display_name')), value: metadata({ subject, key: 'contact.display_name', value: `Person ${i}`, valueType: 'text', timestamp: 1_700_000_000_000 + i }) });
      }
    }
    for (let i = 0; i < messages.length; i += 2000) await log.append(topic('messages'), messages.slice(i, i + 2000));
    await log.append(topic('metadata'), attributes);
    return 1 + messages.length + attributes.length;
  } finally {
    await log.close();
  }
}

/** Runs `parley import airy --json` in this process; returns its summary and the seconds it took. */
async function importOnce(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ seconds: number; summary: { totals: { written: number; unchanged: number; bad: number } } }> {
  let out = '';
  let err = '';
  const start = performance.now();
  const code = await runCli(['node', 'parley', ...argv, '--json'], { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env, cwd });
  const seconds = (performance.now() - start) / 1000;
  if (code !== 0) throw new Error(`parley import airy exited ${code}: ${err}`);
  return { seconds, summary: JSON.parse(out) };
}

async function measure(brokers: string[]): Promise<BenchResult[]> {
  const namespace = `bench-airy-${randomBytes(4).toString('hex')}`;
  const records = await fillAiry(brokers, namespace);
  return withTempDir('airy-import', async (dir) => {
    const runtime: Runtime = createPlatform({ dataDir: dir, http: { host: '127.0.0.1', port: 0 }, logLevel: 'error' });
    await runtime.start();
    try {
      const env = { PARLEY_URL: runtime.url!, PARLEY_TOKEN: fs.readFileSync(path.join(dir, 'auth', 'system-token'), 'utf8').trim() };
      const argv = ['import', 'airy', '--brokers', brokers.join(','), '--topics-prefix', namespace];
      const first = await importOnce(argv, env, dir);
      if (first.summary.totals.written !== records || first.summary.totals.bad !== 0) throw new Error(`first import: ${JSON.stringify(first.summary.totals)}, expected ${records} written`);
      const second = await importOnce(argv, env, dir);
      if (second.summary.totals.written !== 0) throw new Error(`second import wrote ${second.summary.totals.written} records`);
      const workload = `${AIRY_MESSAGES.toLocaleString('en-US')} messages over ${CONVERSATIONS.toLocaleString('en-US')} conversations and their display names, Airy on Kafka, Parley on the embedded log`;
      return [
        { name: 'import.airy.first', value: Math.round(records / first.seconds), unit: 'records/s', note: `${workload}; read, compare, write: ${first.seconds.toFixed(1)} s` },
        { name: 'import.airy.again', value: Math.round(records / second.seconds), unit: 'records/s', note: `the same again, nothing to write: ${second.seconds.toFixed(1)} s` },
      ];
    } finally {
      await runtime.stop();
      const log = new KafkaLog({ brokers, namespace });
      await log.open();
      await log.deleteTopics(await log.listTopics());
      await log.close();
    }
  });
}

export const airyImportBench: BenchSuite = {
  name: 'import.airy',
  run: () => withKafkaBroker(measure),
};
