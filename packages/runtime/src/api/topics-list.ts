import { z } from 'zod';
import { defineRoute } from '../http/route-definition.js';
import { paginate, paginatedSchema, paginationRequestShape } from '../http/pagination.js';

const topicSchema = z.strictObject({
  name: z.string(),
  cleanup_policy: z.enum(['delete', 'compact']),
  retention_ms: z.int().describe('-1: kept forever'),
  partitions: z.array(
    z.strictObject({
      partition: z.int().min(0),
      beginning_offset: z.int().min(0).describe('Offset of the oldest record still stored'),
      end_offset: z.int().min(0).describe('Offset the next appended record gets'),
    }),
  ),
});

/** `topics.list`: the log's topics, sorted by name, with partitions and offsets (paginated). */
export const topicsListRoute = defineRoute({
  name: 'topics.list',
  summary: "The log's topics with their partitions and offsets",
  request: z.object({
    ...paginationRequestShape,
    name_prefix: z.string().optional().describe('Only topics whose name starts with this'),
  }),
  response: paginatedSchema(topicSchema),
  errors: ['RUNTIME_INVALID_CURSOR'],
  example: { page_size: 20 },
  async handler({ runtime }, body) {
    const { log } = runtime;
    const names = (await log.listTopics()).filter((n) => body.name_prefix === undefined || n.startsWith(body.name_prefix)).sort();
    const page = paginate(names, body);
    // Describe only the topics on this page: listing is cheap, offsets are a call per partition.
    const data = await Promise.all(
      page.data.map(async (name) => {
        const description = await log.describeTopic(name);
        const partitions = await Promise.all(
          Array.from({ length: description.partitions }, async (_, partition) => ({
            partition,
            beginning_offset: await log.beginningOffset({ topic: name, partition }),
            end_offset: await log.endOffset({ topic: name, partition }),
          })),
        );
        return { name, cleanup_policy: description.config.cleanupPolicy, retention_ms: description.config.retentionMs, partitions };
      }),
    );
    return { data, pagination_data: page.pagination_data };
  },
});
