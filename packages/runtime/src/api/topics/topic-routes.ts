/**
 * The log's topics over HTTP, for `parley topics`: describe one, read records from chosen
 * positions (decoded, see record-codec.ts), append records, delete a topic. The CLI is a client
 * of the runtime, and the embedded log belongs to the one process that opened it, so it reaches
 * topics through these routes rather than by opening the log itself.
 */
import type { Log } from '@parley/streams';
import { z } from 'zod';
import { RuntimeError } from '../../errors.js';
import { defineRoute } from '../../http/route-definition.js';
import type { Principal } from '../../auth/principal.js';
import { isCredentialTopic } from '../../auth/users/user-records.js';
import { encodeInput, RecordCodec } from './record-codec.js';

const MAX_READ = 1000;
const MAX_PRODUCE = 1000;
const codec = new RecordCodec();
/** The topic the examples name (`topics.produce`'s example creates it). */
const EXAMPLE_TOPIC = 'parley.example';

const topicName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,249}$/)
  .refine((name) => name !== '.' && name !== '..', 'a topic cannot be named . or ..')
  .describe('Topic name (letters, digits, `.`, `_`, `-`; not `.` or `..`; as in Kafka)');

const partitionSchema = z.strictObject({
  partition: z.int().min(0),
  beginning_offset: z.int().min(0).describe('Offset of the oldest record still stored'),
  end_offset: z.int().min(0).describe('Offset the next appended record gets'),
});

const positionSchema = z.strictObject({ partition: z.int().min(0), offset: z.int().min(0) });

const decodedSchema = z.strictObject({
  encoding: z.enum(['null', 'avro', 'json', 'string', 'base64']).describe('avro: a model record shown as JSON; json: JSON text; string: other UTF-8 text; base64: other bytes'),
  data: z.unknown(),
  schema: z.string().optional().describe('avro only: the writer schema'),
});

const recordSchema = z.strictObject({
  partition: z.int().min(0),
  offset: z.int().min(0),
  timestamp: z.int().describe('Milliseconds since the epoch'),
  key: decodedSchema,
  value: decodedSchema,
  headers: z.record(z.string(), z.string()).describe('Header values as UTF-8 (base64 when they are not text)'),
});

/** Only the system token may change topics or mint tokens: a user JWT reads. */
export function requireSystem(principal: Principal, action: string): void {
  if (principal.kind === 'user' || principal.kind === 'scoped') throw new RuntimeError('RUNTIME_FORBIDDEN', `${action} needs the system token`);
}

async function partitionsOf(log: Log, name: string): Promise<Array<z.input<typeof partitionSchema>>> {
  const { partitions } = await log.describeTopic(name);
  return Promise.all(
    Array.from({ length: partitions }, async (_, partition) => ({
      partition,
      beginning_offset: await log.beginningOffset({ topic: name, partition }),
      end_offset: await log.endOffset({ topic: name, partition }),
    })),
  );
}

/** `topics.describe`: one topic's configuration, partitions and offsets. */
export const topicsDescribeRoute = defineRoute({
  name: 'topics.describe',
  summary: "One topic's configuration, partitions and offsets",
  request: z.object({ name: topicName }),
  response: z.strictObject({
    name: z.string(),
    cleanup_policy: z.enum(['delete', 'compact']),
    retention_ms: z.int().describe('-1: kept forever'),
    partitions: z.array(partitionSchema),
    stored_records: z.int().min(0).describe('Sum of end minus beginning offsets (a compacted topic may hold fewer)'),
  }),
  errors: ['STREAMS_TOPIC_NOT_FOUND'],
  example: { name: EXAMPLE_TOPIC },
  async handler({ runtime }, body) {
    const description = await runtime.log.describeTopic(body.name);
    const partitions = await partitionsOf(runtime.log, body.name);
    return {
      name: body.name,
      cleanup_policy: description.config.cleanupPolicy,
      retention_ms: description.config.retentionMs,
      partitions,
      stored_records: partitions.reduce((sum, p) => sum + p.end_offset - p.beginning_offset, 0),
    };
  },
});

/** `topics.read`: a page of records across partitions in timestamp order, and the positions to continue from. */
export const topicsReadRoute = defineRoute({
  name: 'topics.read',
  summary: 'Records of a topic, decoded, from given positions or from earliest, latest or a time',
  description:
    'Without `positions` the read starts at `from` in every partition. The answer carries the `positions` to send next; ' +
    '`caught_up` is true once every partition was read to its end offset. The user accounts\' topics (`auth.users`, `auth.sessions`) need the system token.',
  request: z.object({
    name: topicName,
    from: z
      .union([z.enum(['earliest', 'latest']), z.int().min(0).describe('Milliseconds since the epoch')])
      .default('earliest')
      .describe('Where to start when `positions` is absent'),
    positions: z.array(positionSchema).optional().describe('Continue from these offsets (the previous answer\'s `positions`)'),
    max_records: z.int().min(1).max(MAX_READ).default(100),
  }),
  response: z.strictObject({ data: z.array(recordSchema), positions: z.array(positionSchema), caught_up: z.boolean() }),
  errors: ['STREAMS_TOPIC_NOT_FOUND', 'RUNTIME_INVALID_REQUEST'],
  example: { name: EXAMPLE_TOPIC, from: 'earliest', max_records: 10 },
  async handler({ runtime, principal }, body) {
    // The user accounts' topics hold password hashes: a user JWT must not read them.
    if (isCredentialTopic(body.name)) requireSystem(principal, `topics.read of ${body.name}`);
    const { log } = runtime;
    const partitions = await partitionsOf(log, body.name);
    const start = await Promise.all(partitions.map((p) => startOffset(log, body.name, p, body.from, body.positions)));
    const batches = await Promise.all(partitions.map((p, i) => (start[i]! < p.end_offset ? log.read({ topic: body.name, partition: p.partition }, start[i]!, { maxRecords: body.max_records }) : [])));
    const records = batches
      .flat()
      .sort((a, b) => a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset)
      .slice(0, body.max_records);
    const next = [...start];
    for (const r of records) next[r.partition] = Math.max(next[r.partition]!, r.offset + 1);
    // An empty read below the end offset means compaction or retention removed the rest: it counts as read.
    for (const [i, batch] of batches.entries()) if (batch.length === 0) next[i] = Math.max(next[i]!, partitions[i]!.end_offset);
    return {
      data: records.map((r) => ({
        partition: r.partition,
        offset: r.offset,
        timestamp: r.timestamp,
        key: codec.decode(r.key),
        value: codec.decode(r.value),
        headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, headerText(v)])),
      })),
      positions: partitions.map((p, i) => ({ partition: p.partition, offset: next[i]! })),
      caught_up: partitions.every((p, i) => next[i]! >= p.end_offset),
    };
  },
});

async function startOffset(log: Log, topic: string, p: z.input<typeof partitionSchema>, from: 'earliest' | 'latest' | number, positions: ReadonlyArray<{ partition: number; offset: number }> | undefined): Promise<number> {
  if (positions !== undefined) {
    const given = positions.find((x) => x.partition === p.partition);
    if (given === undefined) throw new RuntimeError('RUNTIME_INVALID_REQUEST', `positions has no offset for partition ${p.partition}`, { field: 'positions' });
    return Math.max(given.offset, p.beginning_offset);
  }
  if (from === 'earliest') return p.beginning_offset;
  if (from === 'latest') return p.end_offset;
  return log.offsetForTimestamp({ topic, partition: p.partition }, from);
}

function headerText(value: Buffer): string {
  const decoded = codec.decode(value);
  return decoded.encoding === 'base64' ? (decoded.data as string) : value.toString('utf8');
}

const produceRecordSchema = z.object({
  key: z.string().nullable().default(null).describe('UTF-8 key (base64 with `base64: true`); null: partitioned round-robin by the log'),
  value: z.unknown().describe('A string is stored as UTF-8, any other JSON value as its JSON text, null as a tombstone'),
  partition: z.int().min(0).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timestamp: z.int().min(0).optional(),
});

/** `topics.produce`: appends records (system token only). */
export const topicsProduceRoute = defineRoute({
  name: 'topics.produce',
  summary: 'Append records to a topic (system token only)',
  request: z.object({
    name: topicName,
    records: z.array(produceRecordSchema).min(1).max(MAX_PRODUCE),
    base64: z.boolean().default(false).describe('Keys and string values are base64 bytes'),
    create: z.boolean().default(false).describe('Create the topic (one partition, delete policy) when it does not exist'),
  }),
  response: z.strictObject({ offsets: z.array(positionSchema) }),
  errors: ['STREAMS_TOPIC_NOT_FOUND', 'STREAMS_PARTITION_NOT_FOUND'],
  example: { name: EXAMPLE_TOPIC, create: true, records: [{ key: 'k', value: { hello: 'world' } }] },
  async handler({ runtime, principal }, body) {
    requireSystem(principal, 'topics.produce');
    if (body.create) await runtime.log.createTopics([{ name: body.name }], { ifNotExists: true });
    const { partitions } = await runtime.log.describeTopic(body.name);
    const records = body.records.map((r, i) => {
      if (r.partition !== undefined && r.partition >= partitions) throw new RuntimeError('RUNTIME_INVALID_REQUEST', `records[${i}].partition: the topic has ${partitions} partition(s)`, { field: `records.${i}.partition` });
      return {
        key: encodeInput(r.key, body.base64),
        value: encodeInput(r.value, body.base64 && typeof r.value === 'string'),
        ...(r.partition === undefined ? {} : { partition: r.partition }),
        ...(r.timestamp === undefined ? {} : { timestamp: r.timestamp }),
        headers: Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k, Buffer.from(v, 'utf8')])),
      };
    });
    const written = await runtime.log.append(body.name, records);
    return { offsets: written.map((m) => ({ partition: m.partition, offset: m.offset })) };
  },
});

/** `topics.delete`: deletes a topic when `confirm` repeats its name (system token only). */
export const topicsDeleteRoute = defineRoute({
  name: 'topics.delete',
  summary: 'Delete a topic and its records (system token only; `confirm` must repeat the name)',
  request: z.object({ name: topicName, confirm: z.string().describe('The topic name again') }),
  response: z.strictObject({ deleted: z.boolean().describe('false: there was no such topic') }),
  errors: ['RUNTIME_INVALID_REQUEST'],
  example: { name: 'parley.example-gone', confirm: 'parley.example-gone' },
  async handler({ runtime, principal }, body) {
    requireSystem(principal, 'topics.delete');
    if (body.confirm !== body.name) throw new RuntimeError('RUNTIME_INVALID_REQUEST', 'confirm must repeat the topic name', { field: 'confirm' });
    const inUse = [...runtime.apps.values()].find(({ definition }) => (definition.topics ?? []).some((t) => t.name === body.name) || body.name.startsWith(`${definition.applicationId}-`));
    if (inUse !== undefined) throw new RuntimeError('RUNTIME_INVALID_REQUEST', `${body.name} belongs to the running topology ${inUse.definition.name}`, { field: 'name' });
    if (!(await runtime.log.listTopics()).includes(body.name)) return { deleted: false };
    await runtime.log.deleteTopics([body.name]);
    return { deleted: true };
  },
});
