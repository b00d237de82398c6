/**
 * The few kafkajs internals KafkaLog builds on, loaded in one place.
 *
 * Why internals: kafkajs's public clients each own a private `Cluster` (connections + metadata
 * cache) that accumulates every topic it ever touched and fails every later metadata refresh
 * once one of them is deleted; and kafkajs has no public API to fetch one partition at an
 * offset. Building the admin client and the producer on one `Cluster` that we own lets us
 * forget deleted topics and issue plain Fetch requests on the same connections.
 * kafkajs 2.2.4 is in maintenance mode (tulios/kafkajs#1753), so these modules are frozen;
 * this file is the only place to touch if a future version moves them.
 */
import { createRequire } from 'node:module';
import type {
  Admin,
  Broker,
  Cluster,
  ICustomPartitioner,
  ISocketFactory,
  KafkaMessage,
  Logger,
  PartitionMetadata,
  Producer,
  RetryOptions,
} from 'kafkajs';

const require = createRequire(import.meta.url);

/** kafkajs's `Cluster` with the members the public typings leave out. */
export interface InternalCluster extends Cluster {
  targetTopics: Set<string>;
  findTopicPartitionMetadata(topic: string): PartitionMetadata[];
}

export interface ClusterOptions {
  logger: Logger;
  brokers: string[];
  clientId: string;
  connectionTimeout: number;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  retry: RetryOptions;
  socketFactory: ISocketFactory;
  metadataMaxAge: number;
  allowAutoTopicCreation: boolean;
  /** 0 = read_uncommitted, 1 = read_committed; used by ListOffsets. */
  isolationLevel: number;
}

/** A partition of a raw Fetch response, as kafkajs decodes it. */
export interface FetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  lastStableOffset: string;
  abortedTransactions: Array<{ producerId: string; firstOffset: string }>;
  messages: KafkaMessage[];
}

/** kafkajs's Batch: drops records below the fetch offset, control records and aborted records. */
export interface InternalBatch {
  readonly messages: KafkaMessage[];
  readonly rawMessages: KafkaMessage[];
}

type ClusterConstructor = new (options: ClusterOptions) => InternalCluster;
type BatchConstructor = new (topic: string, fetchedOffset: string, partition: FetchedPartition) => InternalBatch;

export const InternalCluster = require('kafkajs/src/cluster/index.js') as ClusterConstructor;
export const InternalBatch = require('kafkajs/src/consumer/batch.js') as BatchConstructor;

export const createAdmin = require('kafkajs/src/admin/index.js') as (options: {
  logger: Logger;
  retry: RetryOptions;
  cluster: Cluster;
}) => Admin;

export const createProducer = require('kafkajs/src/producer/index.js') as (options: {
  logger: Logger;
  cluster: Cluster;
  retry: RetryOptions;
  createPartitioner: ICustomPartitioner;
  idempotent: boolean;
  transactionalId?: string;
  transactionTimeout?: number;
}) => Producer;

export const defaultSocketFactory = require('kafkajs/src/network/socketFactory.js') as () => ISocketFactory;

export type { Broker };
