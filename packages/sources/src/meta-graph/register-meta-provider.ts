/**
 * How a Meta provider (Facebook Messenger, Instagram, WhatsApp Cloud) registers with the host:
 * its webhook (GET handshake + signed POST events), its channel routes, and its router and
 * connector topologies. Each provider passes its own parts; the wiring is the same for all three.
 */
import { StreamsBuilder, type Log, type NewTopic } from '@parley/streams';
import type { Channel } from '@parley/schemas';
import { modelSerdes } from '@parley/communication';
import type { ProviderHost, WebhookDefinition } from '../host/provider-host.js';
import type { AnyRouteDefinition } from '../host/route-definition.js';
import { SourceCatalog } from '../source-catalog.js';

export interface MetaProviderParts {
  source: string;
  applicationIds: Readonly<{ router: string; connector: string }>;
  topics: NewTopic[];
  webhook: (log: () => Log) => WebhookDefinition['handle'];
  channelRoutes: (log: () => Log, catalog: () => SourceCatalog) => AnyRouteDefinition[];
  addRouter: (builder: StreamsBuilder) => void;
  /** Adds the connector; `resolveChannel` finds a channel the global table does not hold yet. */
  addConnector: (builder: StreamsBuilder, resolveChannel: (id: string) => Promise<Channel | undefined>) => void;
}

export function registerMetaProvider(host: ProviderHost, parts: MetaProviderParts): void {
  let catalog: SourceCatalog | undefined;
  // The log is open only once the host has started: build on first use.
  const channels = () => (catalog ??= new SourceCatalog(host.log, modelSerdes()));
  host.registerWebhook({ provider: parts.source, methods: ['GET', 'POST'], handle: parts.webhook(() => host.log) });
  for (const route of parts.channelRoutes(() => host.log, channels)) host.registerRoute(route);
  const { topics } = parts;
  const topology = (part: 'router' | 'connector', build: (builder: StreamsBuilder) => void, appOptions?: { startFrom: 'latest' }) => {
    const name = `${parts.source}-${part}`;
    const applicationId = parts.applicationIds[part];
    host.registerTopology({
      name,
      applicationId,
      topics,
      get: () => ({
        name,
        applicationId,
        topics,
        build: () => {
          const builder = new StreamsBuilder();
          build(builder);
          return builder.build();
        },
        ...(appOptions === undefined ? {} : { appOptions }),
      }),
    });
  };
  topology('router', parts.addRouter);
  const resolveChannel = async (id: string) => {
    await channels().refresh();
    return channels().channel(id);
  };
  // Replaying old PENDING records would send stale replies or mark delivered ones FAILED.
  topology('connector', (builder) => parts.addConnector(builder, resolveChannel), { startFrom: 'latest' });
}
