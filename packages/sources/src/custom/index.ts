/**
 * Custom sources through the Source API: integrators register a source (`sources.create`), its
 * channels (`sources.channels.create`), post inbound messages and metadata to `sources.webhook`
 * with the source's token, and receive outbound messages at the source's action endpoint. The
 * routes and the host registration are in routes.ts. See README.md in this folder.
 */
import { z } from 'zod';
import { modelSerdes } from '@parley/communication';
import type { SourceDefinition, SourceInstance } from '../source-definition.js';
import { ACTION_DEFAULTS } from './action-client.js';
import { addCustomConnector, MAX_OUTBOUND_AGE_MS, type CustomConnectorOptions } from './connector.js';
import { CUSTOM_EVENTS_TOPIC, customSourceTopics } from './custom-topics.js';
import { CustomSourceManager } from './source-management.js';
import { addCustomRouter } from './topology.js';
import { createCustomPayloadAcceptor, type CustomPayloadAcceptor } from './webhook.js';
import { StreamsBuilder } from '@parley/streams';

/** The `sources.custom` configuration section. */
export const customSourceConfigSchema = z.strictObject({
  /** Partitions of the topics created for custom sources. */
  partitions: z.number().int().min(1).max(1024).default(1),
  delivery: z
    .strictObject({
      /** Per attempt, in ms. */
      timeoutMs: z.number().int().min(1).max(120_000).default(ACTION_DEFAULTS.timeoutMs),
      /** Waits between attempts, in ms (its length + 1 attempts). */
      retryDelaysMs: z.array(z.number().int().min(0).max(60_000)).max(10).default([...ACTION_DEFAULTS.retryDelaysMs]),
      /** Outbound messages older than this fail without a call, in ms. */
      maxAgeMs: z.number().int().min(1).default(MAX_OUTBOUND_AGE_MS),
    })
    .prefault({}),
});

export type CustomSourceConfig = z.output<typeof customSourceConfigSchema>;

/** A custom source instance: the common parts plus source and channel management. */
export interface CustomSourceInstance extends SourceInstance {
  readonly manager: CustomSourceManager;
  /** Appends a validated payload of an authenticated source (the `sources.webhook` route's core). */
  readonly accept: CustomPayloadAcceptor;
}

/** Application ids of the two topologies. */
export const CUSTOM_APPLICATION_IDS = Object.freeze({ router: 'sources.custom.router', connector: 'sources.custom.connector' });

/** Extra connector options for tests (a fetch stub, a clock). */
export interface CustomSourceTestHooks {
  connector?: Pick<CustomConnectorOptions, 'fetch' | 'clock'>;
}

/** The Source API as a SourceDefinition. */
export const customSource: SourceDefinition<CustomSourceConfig, CustomSourceInstance> & {
  createWith(context: Parameters<SourceDefinition<CustomSourceConfig>['create']>[0], hooks: CustomSourceTestHooks): CustomSourceInstance;
} = {
  name: 'custom',
  configSchema: customSourceConfigSchema,
  eventsTopic: CUSTOM_EVENTS_TOPIC,
  create(context) {
    return this.createWith(context, {});
  },
  createWith({ config, log, clock }, hooks) {
    const serdes = modelSerdes();
    const manager = new CustomSourceManager({ log, serdes, partitions: config.partitions, ...(clock === undefined ? {} : { clock }) });
    const topics = customSourceTopics(config.partitions);
    return {
      manager,
      accept: createCustomPayloadAcceptor({ log, ...(clock === undefined ? {} : { clock }) }),
      router: {
        name: 'custom-router',
        applicationId: CUSTOM_APPLICATION_IDS.router,
        topics,
        build: () => {
          const builder = new StreamsBuilder();
          addCustomRouter(builder, { serdes: modelSerdes() });
          return builder.build();
        },
      },
      connector: {
        name: 'custom-connector',
        applicationId: CUSTOM_APPLICATION_IDS.connector,
        topics,
        build: () => {
          const builder = new StreamsBuilder();
          const resolveSource = async (id: string) => {
            await manager.catalog.refresh();
            return manager.catalog.source(id);
          };
          const resolveChannel = async (id: string) => {
            await manager.catalog.refresh();
            return manager.catalog.channel(id);
          };
          addCustomConnector(builder, { serdes: modelSerdes(), ...config.delivery, resolveSource, resolveChannel, ...hooks.connector });
          return builder.build();
        },
        // Replaying old PENDING records would mark long-delivered messages FAILED (stale): a new
        // connector application starts at the end of the messages topic.
        appOptions: { startFrom: 'latest' },
      },
    };
  },
};
