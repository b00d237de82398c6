/**
 * The few kafkajs internals KafkaLog builds on, loaded in one place.
 *
 * Why internals: kafkajs's public clients each own a private `Cluster` (connections + metadata
 * cache) that accumulates every topic it ever touched and fails every later metadata refresh
 * once one of them is deleted; kafkajs has no public API to fetch one partition at an offset;
 * and its producer encodes records too slowly for the engine (idempotent-producer.ts), so
 * KafkaLog sends Produce requests it encodes itself on kafkajs's connections. Building the admin
 * client on one `Cluster` that we own lets us forget deleted topics, and issue plain Fetch and
 * Produce requests on the same connections.
 * kafkajs 2.2.4 is in maintenance mode (tulios/kafkajs#1753), so these modules are frozen;
 * this file is the only place to touch if a future version moves them.
 */
import { createRequire } from 'node:module';
import type {
  Admin,
  Broker,
  Cluster,
  ISocketFactory,
  KafkaMessage,
  Logger,
  PartitionMetadata,
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

export const defaultSocketFactory = require('kafkajs/src/network/socketFactory.js') as () => ISocketFactory;

/** CRC-32C (Castagnoli) of `buffer`, unsigned: the checksum of a Kafka record batch. */
export const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buffer: Buffer) => number;

/** kafkajs's retry loop: `fn` runs until it resolves, `bail`s, throws a non-retriable error or runs out of retries. */
export type Retrier = <T>(fn: (bail: (err: Error) => void, retryCount: number, retryTime: number) => Promise<T>) => Promise<T>;
export const createRetry = require('kafkajs/src/retry/index.js') as (options: RetryOptions) => Retrier;

/** The KafkaJSProtocolError (with `type` and `retriable`) for a Kafka error code. */
export const createErrorFromCode = (require('kafkajs/src/protocol/error.js') as { createErrorFromCode: (code: number) => Error }).createErrorFromCode;

/** A request as kafkajs's connections send it: `encode` answers an Encoder, or anything with its `buf` and `buffer`. */
export interface ProtocolRequest {
  apiKey: number;
  apiVersion: number;
  apiName: string;
  expectResponse?: () => boolean;
  encode: () => Promise<{ buf: Buffer; buffer: Buffer }>;
}

/** A response decoder as kafkajs's connections use it. */
export interface ProtocolResponse {
  decode(payload: Buffer): Promise<unknown>;
  parse(decoded: unknown): Promise<unknown>;
}

interface ProtocolDefinition {
  versions: string[];
  protocol(options: { version: number }): (args: Record<string, unknown>) => { request: ProtocolRequest; response: ProtocolResponse };
}

const { requests } = require('kafkajs/src/protocol/requests/index.js') as { requests: { Produce: ProtocolDefinition } };
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys.js') as { Produce: number };

/** A connected kafkajs Broker with the members KafkaLog's producer uses. */
interface InternalBroker {
  versions: Record<number, { minVersion: number; maxVersion: number }> | null;
  lookupRequest(apiKey: number, definition: ProtocolDefinition): (args: Record<string, unknown>) => { request: ProtocolRequest; response: ProtocolResponse };
}

/**
 * The Produce request and response kafkajs would use with `broker` (the newest version both know,
 * 3 to 7 for brokers from 0.11 on: they share one request layout), for a request whose body
 * KafkaLog encodes itself.
 */
export function produceProtocol(broker: Broker): { apiVersion: number; response: ProtocolResponse } {
  const internal = broker as unknown as InternalBroker;
  const { request, response } = internal.lookupRequest(apiKeys.Produce, requests.Produce)({ acks: -1, timeout: 0, topicData: [] });
  if (request.apiVersion < 3) throw new Error(`the broker serves Produce up to version ${request.apiVersion}; KafkaLog needs 3 (Kafka 0.11) or later`);
  return { apiVersion: request.apiVersion, response };
}

/** Sends `request` on the broker's connections as its own methods do (a closed connection disconnects the broker). */
export async function sendRaw(broker: Broker, request: ProtocolRequest, response: ProtocolResponse): Promise<unknown> {
  const send = brokerSendRequest(broker);
  return send.call(broker, { request, response });
}

type SendRequest = (this: Broker, protocol: { request: ProtocolRequest; response: ProtocolResponse }) => Promise<unknown>;
let sendRequestMethod: SendRequest | undefined;

/** kafkajs's private `Broker[Symbol('private:Broker:sendRequest')]`, found once. */
function brokerSendRequest(broker: Broker): SendRequest {
  if (sendRequestMethod === undefined) {
    const prototype = Object.getPrototypeOf(broker) as Record<symbol, unknown>;
    const symbol = Object.getOwnPropertySymbols(prototype).find((s) => s.description === 'private:Broker:sendRequest');
    const method = symbol === undefined ? undefined : prototype[symbol];
    if (typeof method !== 'function') throw new Error('kafkajs internals changed: Broker has no private sendRequest');
    sendRequestMethod = method as SendRequest;
  }
  return sendRequestMethod;
}

export type { Broker };
