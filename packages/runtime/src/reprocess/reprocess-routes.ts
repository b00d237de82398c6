/**
 * `reprocess.*`: the HTTP face of the ReprocessManager, for `parley reprocess` (system token
 * only: a reprocess loads code and rewrites live topics). `topology` may be left out when exactly
 * one reprocess is in progress.
 */
import { z } from 'zod';
import { defineRoute, type AnyRouteDefinition } from '../http/route-definition.js';
import { requireSystem } from '../api/topics/topic-routes.js';
import { RecordCodec } from '../api/topics/record-codec.js';
import type { OutputDiff, ReprocessManager, ReprocessStatus } from './reprocess-manager.js';
import type { ChangeKind } from './output-diff.js';

const codec = new RecordCodec();
const topologyName = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/).describe('The topology (`parley status` names them, e.g. `custom-router`)');
const which = z.object({ topology: topologyName.optional().describe('Default: the one reprocess in progress') });
const EXAMPLE_TOPOLOGY = 'custom-router';
const REPROCESS_ERRORS = ['RUNTIME_FORBIDDEN', 'RUNTIME_REPROCESS_NOT_FOUND', 'RUNTIME_REPROCESS_CONFLICT', 'RUNTIME_INVALID_REQUEST'] as const;

const inputSchema = z.strictObject({
  topic: z.string(),
  processed: z.int().min(0).describe('Offsets processed, summed over partitions'),
  end: z.int().min(0).describe('End offsets, summed over partitions'),
  lag: z.int().min(0),
  rate: z.number().min(0).nullable().describe('Records per second over the last seconds; null until measured twice'),
  eta_seconds: z.int().min(0).nullable().describe('Time to catch up at that rate; null when unknown'),
});

const reprocessSchema = z.strictObject({
  topology: z.string(),
  generation: z.int().min(1),
  phase: z.enum(['running', 'promoting', 'promoted']).describe('running: the shadow catches up beside the live version; promoted: it is the live version, the old one kept until finalize'),
  application_id: z.string().describe("The shadow's application id (`<application>.shadow-<generation>`)"),
  previous_application_id: z.string().describe('The version live before; rollback returns to it'),
  module: z.string().nullable().describe('The fixed topology module; null: the registered definition'),
  from: z.union([z.literal('earliest'), z.int().min(0)]),
  started_at: z.int(),
  promoted_at: z.int().nullable(),
  state: z.enum(['created', 'restoring', 'running', 'error', 'closed', 'stopped']).describe("The shadow's (or, promoted, the live version's) application state"),
  caught_up: z.boolean().describe('The shadow has processed every input record there is: it can be promoted'),
  lag: z.int().min(0),
  inputs: z.array(inputSchema),
  outputs: z.array(z.strictObject({ topic: z.string(), shadow_topic: z.string(), keyed: z.boolean().describe('Compacted: compared and promoted by key') })),
});

const decodedSchema = z.strictObject({ encoding: z.enum(['null', 'avro', 'json', 'string', 'base64']), data: z.unknown(), schema: z.string().optional() });

const outputDiffSchema = z.strictObject({
  topic: z.string(),
  shadow_topic: z.string(),
  keyed: z.boolean(),
  shadow_records: z.int().min(0),
  added: z.int().min(0).nullable().describe('Keys the shadow has and the live topic lacks (null: not keyed)'),
  removed: z.int().min(0).nullable().describe('Keys the shadow deleted (tombstone) that the live topic has'),
  changed: z.int().min(0).nullable(),
  unchanged: z.int().min(0).nullable(),
  samples: z.array(z.strictObject({ kind: z.enum(['added', 'removed', 'changed']), key: decodedSchema, before: decodedSchema, after: decodedSchema })),
});

function statusJson(s: ReprocessStatus): z.input<typeof reprocessSchema> {
  const { record } = s;
  return {
    topology: record.topology,
    generation: record.generation,
    phase: record.phase,
    application_id: record.shadow.applicationId,
    previous_application_id: record.previous.applicationId,
    module: record.shadow.module,
    from: record.from,
    started_at: record.startedAt,
    promoted_at: record.promotedAt ?? null,
    state: s.app?.app.state ?? 'stopped',
    caught_up: s.caughtUp,
    lag: s.inputs.reduce((sum, i) => sum + i.lag, 0),
    inputs: s.inputs.map((i) => ({ topic: i.topic, processed: i.processed, end: i.end, lag: i.lag, rate: i.rate, eta_seconds: i.etaSeconds })),
    outputs: record.outputs.map((o) => ({ topic: o.topic, shadow_topic: o.shadowTopic, keyed: o.keyed })),
  };
}

function diffJson(d: OutputDiff, sampleCount: number): z.input<typeof outputDiffSchema> {
  const c = d.comparison;
  const count = (kind: ChangeKind) => (c === undefined ? null : c.changes.filter((x) => x.kind === kind).length);
  return {
    topic: d.output.topic,
    shadow_topic: d.output.shadowTopic,
    keyed: d.output.keyed,
    shadow_records: d.shadowRecords,
    added: count('added'),
    removed: count('removed'),
    changed: count('changed'),
    unchanged: c?.unchanged ?? null,
    samples: (c?.changes ?? []).slice(0, sampleCount).map((x) => ({ kind: x.kind, key: codec.decode(x.key), before: codec.decode(x.before), after: codec.decode(x.after) })),
  };
}

/** The `reprocess.*` routes over `manager`. */
export function reprocessRoutes(manager: ReprocessManager): AnyRouteDefinition[] {
  const start = defineRoute({
    name: 'reprocess.start',
    summary: 'Run a shadow copy of a topology side by side with the live one (system token only)',
    description:
      'The shadow runs under `<application id>.shadow-<generation>` from the start of its retained inputs (or `from`), writing `<shadow id>.<output topic>`. ' +
      'Asked again with the same module while it runs, it answers its progress (and resumes it after a restart).',
    request: z.object({
      topology: topologyName,
      module: z.string().min(1).optional().describe('Absolute path of the fixed topology module (`parley run` shape); omitted: the registered definition'),
      from: z.union([z.literal('earliest'), z.int().min(0).describe('Milliseconds since the epoch')]).default('earliest'),
    }),
    response: reprocessSchema,
    errors: [...REPROCESS_ERRORS, 'RUNTIME_TOPOLOGY_UNKNOWN', 'RUNTIME_REPROCESS_MODULE_INVALID', 'RUNTIME_TOPOLOGY_FAILED'],
    example: { topology: EXAMPLE_TOPOLOGY, module: '/srv/parley/fixed-router.js' },
    async handler({ principal }, body) {
      requireSystem(principal, 'reprocess.start');
      return statusJson(await manager.start({ topology: body.topology, module: body.module, from: body.from }));
    },
  });
  const status = defineRoute({
    name: 'reprocess.status',
    summary: 'The reprocesses in progress, with progress per input (records, rate, lag, ETA)',
    request: which,
    response: z.strictObject({ data: z.array(reprocessSchema) }),
    errors: [...REPROCESS_ERRORS],
    example: {},
    async handler({ principal }, body) {
      requireSystem(principal, 'reprocess.status');
      const all = body.topology === undefined ? await manager.statuses() : [await manager.status(body.topology)];
      return { data: all.map(statusJson) };
    },
  });
  const diff = defineRoute({
    name: 'reprocess.diff',
    summary: 'Keyed comparison of the shadow outputs with the live topics: added, removed, changed keys with samples',
    request: which.extend({ samples: z.int().min(0).max(100).default(5).describe('Changed keys shown per output') }),
    response: z.strictObject({ topology: z.string(), generation: z.int(), caught_up: z.boolean(), outputs: z.array(outputDiffSchema) }),
    errors: [...REPROCESS_ERRORS],
    example: { samples: 3 },
    async handler({ principal }, body) {
      requireSystem(principal, 'reprocess.diff');
      const { status: s, outputs } = await manager.diff(body.topology);
      return { topology: s.record.topology, generation: s.record.generation, caught_up: s.caughtUp, outputs: outputs.map((o) => diffJson(o, body.samples)) };
    },
  });
  const appliedSchema = z.record(z.string(), z.int().min(0)).describe('Records written per live topic');
  const promote = defineRoute({
    name: 'reprocess.promote',
    summary: 'Make the caught-up shadow the live version; only differing keys are written to the live topics',
    request: which,
    response: z.strictObject({ reprocess: reprocessSchema, applied: appliedSchema, settled: z.boolean().describe('The live applications processed what was written before the answer') }),
    errors: [...REPROCESS_ERRORS, 'RUNTIME_TOPOLOGY_FAILED'],
    example: { topology: EXAMPLE_TOPOLOGY },
    async handler({ principal }, body) {
      requireSystem(principal, 'reprocess.promote');
      const result = await manager.promote(body.topology);
      return { reprocess: statusJson(result.status), applied: result.applied, settled: result.settled };
    },
  });
  const rollback = defineRoute({
    name: 'reprocess.rollback',
    summary: 'Return a promoted reprocess to the version before it: the old values written back, the shadow dropped',
    request: which,
    response: z.strictObject({ topology: z.string(), generation: z.int(), applied: appliedSchema, settled: z.boolean() }),
    errors: [...REPROCESS_ERRORS, 'RUNTIME_TOPOLOGY_FAILED'],
    example: { topology: EXAMPLE_TOPOLOGY },
    async handler({ principal }, body) {
      requireSystem(principal, 'reprocess.rollback');
      return manager.rollback(body.topology);
    },
  });
  const ending = (name: 'finalize' | 'abort', summary: string) =>
    defineRoute({
      name: `reprocess.${name}`,
      summary,
      request: which,
      response: z.strictObject({ topology: z.string(), generation: z.int(), removed_application_id: z.string().describe('The application id whose offsets, state and internal topics were removed') }),
      errors: [...REPROCESS_ERRORS],
      example: { topology: EXAMPLE_TOPOLOGY },
      async handler({ principal }, body) {
        requireSystem(principal, `reprocess.${name}`);
        return name === 'finalize' ? manager.finalize(body.topology) : manager.abort(body.topology);
      },
    });
  return [
    start,
    status,
    diff,
    promote,
    rollback,
    ending('finalize', 'Keep the promoted version for good: the old version and the shadow topics are removed'),
    ending('abort', 'Stop a running shadow and remove it (offsets, state, shadow topics); the live version is untouched'),
  ] as AnyRouteDefinition[];
}
