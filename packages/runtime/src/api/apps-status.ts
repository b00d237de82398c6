import { z } from 'zod';
import { RuntimeError } from '../errors.js';
import { defineRoute } from '../http/route-definition.js';

const appSchema = z.strictObject({
  name: z.string(),
  application_id: z.string(),
  role: z.enum(['live', 'shadow']).describe('shadow: a reprocess running beside the live version (`reprocess.status`)'),
  state: z.enum(['created', 'restoring', 'running', 'error', 'closed']),
  processed_records: z.int().min(0).describe('Input records processed since this runtime started'),
  lag: z.int().min(0).describe('Records not processed yet, over all owned input partitions'),
  partitions: z.array(
    z.strictObject({
      topic: z.string(),
      partition: z.int().min(0),
      processed_offset: z.int().min(0),
      end_offset: z.int().min(0),
      lag: z.int().min(0),
    }),
  ),
});

/** `apps.status`: each streams application's state and lag, reprocess shadows included. */
export const appsStatusRoute = defineRoute({
  name: 'apps.status',
  summary: "Each streams application's state and lag",
  request: z.object({ name: z.string().min(1).optional().describe('Only this topology') }),
  response: z.strictObject({ data: z.array(appSchema) }),
  errors: ['RUNTIME_TOPOLOGY_UNKNOWN'],
  example: {},
  async handler({ runtime }, body) {
    if (body.name !== undefined && !runtime.apps.has(body.name)) {
      throw new RuntimeError('RUNTIME_TOPOLOGY_UNKNOWN', `no topology named ${body.name} runs here`, { field: 'name' });
    }
    const all = [...[...runtime.apps].map(([name, a]) => ({ name, role: 'live' as const, ...a })), ...[...runtime.detachedApps].map(([name, a]) => ({ name, role: 'shadow' as const, ...a }))];
    const selected = all.filter(({ name, role }) => body.name === undefined || (role === 'live' && name === body.name));
    const data = await Promise.all(
      selected.map(async ({ name, role, definition, app }) => {
        const partitions = (await app.lag()).map((l) => ({ topic: l.topic, partition: l.partition, processed_offset: l.processedOffset, end_offset: l.endOffset, lag: l.lag }));
        return {
          name,
          application_id: definition.applicationId,
          role,
          state: app.state,
          processed_records: app.processedRecords,
          lag: partitions.reduce((sum, p) => sum + p.lag, 0),
          partitions,
        };
      }),
    );
    return { data };
  },
});
