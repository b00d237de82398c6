/**
 * The SourceInstance of a provider with a webhook, one router and one connector topology (Viber,
 * Google Business Messages): the topologies are named `<source>-router` / `<source>-connector`, and
 * the connector resolves channels the global table does not hold yet through a SourceCatalog and
 * starts at the end of the log.
 */
import { StreamsBuilder, type Log, type NewTopic } from '@parley/streams';
import type { Channel } from '@parley/schemas';
import { modelSerdes } from '@parley/communication';
import { SourceCatalog } from './source-catalog.js';
import type { SourceInstance, SourceTopology, WebhookHandler } from './source-definition.js';

export interface ProviderSourceParts {
  source: string;
  applicationIds: Readonly<{ router: string; connector: string }>;
  topics: NewTopic[];
  log: Log;
  webhook: WebhookHandler;
  addRouter: (builder: StreamsBuilder) => void;
  /** Adds the connector; `resolveChannel` finds a channel connected moments ago. */
  addConnector: (builder: StreamsBuilder, resolveChannel: (id: string) => Promise<Channel | undefined>) => void;
}

export function providerSourceInstance(parts: ProviderSourceParts): SourceInstance {
  const { source, applicationIds, topics } = parts;
  const catalog = new SourceCatalog(parts.log, modelSerdes());
  const topology = (part: 'router' | 'connector', add: (builder: StreamsBuilder) => void): SourceTopology => ({
    name: `${source}-${part}`,
    applicationId: applicationIds[part],
    topics,
    build: () => {
      const builder = new StreamsBuilder();
      add(builder);
      return builder.build();
    },
  });
  const resolveChannel = async (id: string) => {
    await catalog.refresh();
    return catalog.channel(id);
  };
  return {
    webhook: parts.webhook,
    router: topology('router', parts.addRouter),
    connector: {
      ...topology('connector', (builder) => parts.addConnector(builder, resolveChannel)),
      // Replaying old PENDING records would send stale replies or fail them: a new connector starts at the end.
      appOptions: { startFrom: 'latest' },
    },
  };
}
