import { expect } from 'chai';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmbeddedLog } from '@parley/streams/embedded';
import { avroSerde, type AvroSchema } from '@parley/streams/avro';
import { modelSerdes } from '@parley/communication';
import { channelId, conversationId, messageId } from '@parley/schemas';
import { planAiryImport } from '../../src/import/airy/airy-import-plan.js';
import { AIRY_MESSAGE_SCHEMA, AIRY_MESSAGE_SCHEMA_SENDER_TYPE } from '../../src/import/airy/airy-schemas.js';
import { confluentFrame } from '../../src/import/airy/confluent-frame.js';
import { AiryRegistryError } from '../../src/import/airy/schema-registry.js';
import { tempDir } from '../helpers.js';

const MESSAGES = 'application.communication.messages';
const channel = channelId('facebook', 'page-1');
const conversation = conversationId(channel, 'psid-1');
const common = { headers: null, deliveryState: 'DELIVERED', conversationId: conversation, channelId: channel, source: 'facebook', content: '{"text":"hi"}', updatedAt: null };
/** A message of 2020 (Airy's first schema, registry id 1) and one of today's (id 2). */
const legacy = { ...common, id: messageId(channel, 'mid-1'), senderType: 'APP_USER', senderId: 'bot', sentAt: 1_600_000_000_000 };
const current = { ...common, id: messageId(channel, 'mid-2'), isFromContact: true, senderId: 'psid-1', sourceRecipientId: null, sentAt: 1_700_000_000_000 };
const frame = (schemaId: number, schema: object, value: object) => confluentFrame(schemaId, avroSerde(schema as AvroSchema).type.toBuffer(value));

/** What the Parley records planned for the messages topic decode to, by id. */
function plannedMessages(plan: Awaited<ReturnType<typeof planAiryImport>>): Record<string, { senderType: string; senderId: string }> {
  const serde = modelSerdes().message;
  return Object.fromEntries(plan.writes.filter((w) => w.topic === MESSAGES).map((w) => [w.key, serde.deserialize(w.value!)]));
}

describe('Runtime > import > planAiryImport (an embedded log holding Airy topics)', () => {
  let log: EmbeddedLog;
  let registry: http.Server;
  let registryUrl: string;
  /** Airy's registry as Karapace answers it (Confluent's REST API): id → schema JSON text. */
  const schemas: Record<string, object> = { '1': AIRY_MESSAGE_SCHEMA_SENDER_TYPE, '2': AIRY_MESSAGE_SCHEMA };

  before(async () => {
    log = new EmbeddedLog({ dir: tempDir('airy-plan'), maintenanceIntervalMs: 0 });
    await log.open();
    await log.createTopics([{ name: MESSAGES, partitions: 2 }]);
    await log.append(MESSAGES, [
      { key: Buffer.from(legacy.id), value: frame(1, AIRY_MESSAGE_SCHEMA_SENDER_TYPE, legacy) },
      { key: Buffer.from(current.id), value: frame(2, AIRY_MESSAGE_SCHEMA, current) },
      { key: Buffer.from('from-the-future'), value: frame(77, AIRY_MESSAGE_SCHEMA, { ...current, id: messageId(channel, 'mid-3') }) },
    ]);
    registry = http.createServer((req, res) => {
      const schema = schemas[/^\/schemas\/ids\/(\d+)$/.exec(req.url ?? '')?.[1] ?? ''];
      res.writeHead(schema === undefined ? 404 : 200, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
      res.end(JSON.stringify(schema === undefined ? { error_code: 40403, message: 'Schema not found' } : { schema: JSON.stringify(schema) }));
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
  });
  after(async () => {
    await log.close();
    await new Promise((resolve) => registry.close(resolve));
  });

  it("without a registry, reads records of Airy's first Message schema too, keeping who sent them (APP_USER → APP)", async () => {
    const plan = await planAiryImport({ brokers: [], log });
    const messages = plannedMessages(plan);
    expect(messages[legacy.id]).to.deep.include({ senderType: 'APP', senderId: 'bot', sourceRecipientId: null, sentAt: legacy.sentAt });
    expect(messages[current.id]).to.deep.include({ senderType: 'CONTACT', senderId: 'psid-1' });
    const report = plan.topics.find((t) => t.topic === MESSAGES)!;
    expect([report.records, report.planned, report.schema_ids]).to.deep.equal([3, 3, [1, 2, 77]]);
  });

  it('with a registry, reads each record with the schema its id names, and reports ids the registry does not know', async () => {
    const plan = await planAiryImport({ brokers: [], log, schemaRegistry: `${registryUrl}/` });
    const messages = plannedMessages(plan);
    expect(Object.keys(messages).sort()).to.deep.equal([legacy.id, current.id].sort());
    expect(messages[legacy.id]).to.deep.include({ senderType: 'APP' });
    expect(plan.bad.map((b) => [b.reason, b.detail])).to.deep.equal([["schema id not in Airy's schema registry", 'schema id 77']]);
  });

  it('fails with AiryRegistryError when the registry cannot be asked', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const error = await planAiryImport({ brokers: [], log, schemaRegistry: url }).catch((err: unknown) => err);
    expect(error).to.be.instanceOf(AiryRegistryError).and.to.have.property('code', 'AIRY_REGISTRY_UNAVAILABLE');
  });
});
