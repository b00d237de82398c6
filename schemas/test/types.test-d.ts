/**
 * Type tests, checked by `tsc -p schemas/tsconfig.test.json` (not run by mocha): the generated
 * types have exactly the schemas' fields with the right TypeScript types, and the schema
 * constants are accepted where avsc (and so `@parley/streams/avro`) expects a schema.
 */
import type avsc from 'avsc';
import type {
  Channel,
  DeliveryState,
  Message,
  Metadata,
  ReadReceipt,
  RecordTypes,
  SenderType,
  Source,
  Tag,
  Template,
  User,
  Webhook,
} from '../src/generated/records.js';
import { DELIVERY_STATE_SYMBOLS, RECORD_NAMES } from '../src/generated/records.js';
import { MESSAGE_SCHEMA, RECORD_SCHEMAS } from '../src/generated/schemas.js';
import { COMMUNICATION_TOPICS } from '../src/topics.js';
import type { MetadataChange } from '../src/metadata/metadata-merge.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertEqual<A, B>(_proof: Equal<A, B>): void {}

// Every record has exactly the schema's fields.
assertEqual<keyof Channel, 'id' | 'source' | 'sourceChannelId' | 'token' | 'connectionState'>(true);
assertEqual<
  keyof Message,
  | 'id'
  | 'headers'
  | 'senderType'
  | 'senderId'
  | 'deliveryState'
  | 'conversationId'
  | 'channelId'
  | 'source'
  | 'sourceRecipientId'
  | 'content'
  | 'sentAt'
  | 'updatedAt'
>(true);
assertEqual<keyof Metadata, 'subject' | 'key' | 'value' | 'valueType' | 'timestamp'>(true);
assertEqual<keyof ReadReceipt, 'conversationId' | 'readAt' | 'userId'>(true);
assertEqual<keyof Source, 'id' | 'token' | 'name' | 'imageUrl' | 'actionEndpoint' | 'idScheme' | 'createdAt'>(true);
assertEqual<keyof Tag, 'id' | 'name' | 'color'>(true);
assertEqual<keyof Template, 'id' | 'name' | 'source' | 'content'>(true);
assertEqual<keyof User, 'id' | 'name' | 'avatarUrl' | 'firstSeenAt' | 'lastSeenAt'>(true);
assertEqual<keyof Webhook, 'id' | 'name' | 'endpoint' | 'events' | 'headers' | 'signKey' | 'status' | 'subscribedAt' | 'previousSignKey' | 'previousSignKeyUntil' | 'disabledReason'>(true);

// Field types: unions with null are `T | null`, enums are string unions, timestamps numbers.
assertEqual<Message['deliveryState'], 'PENDING' | 'DELIVERED' | 'FAILED'>(true);
assertEqual<Message['senderType'], SenderType>(true);
assertEqual<SenderType, 'CONTACT' | 'USER' | 'APP'>(true);
assertEqual<Message['headers'], Record<string, string> | null>(true);
assertEqual<Message['updatedAt'], number | null>(true);
assertEqual<Message['sentAt'], number>(true);
assertEqual<Webhook['events'], string[]>(true);
assertEqual<Metadata['valueType'], 'TEXT' | 'NUMBER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT' | 'NULL'>(true);
assertEqual<Tag['color'], 'RED' | 'GREEN' | 'BLUE' | 'PURPLE'>(true);
assertEqual<(typeof DELIVERY_STATE_SYMBOLS)[number], DeliveryState>(true);
assertEqual<RecordTypes[(typeof RECORD_NAMES)[number]], Channel | Message | Metadata | ReadReceipt | Source | Tag | Template | User | Webhook>(true);

// A Metadata record is a merge change as it stands.
const record = {} as Metadata;
const change: MetadataChange = record;
void change;

// A topic's value names a record.
assertEqual<(typeof COMMUNICATION_TOPICS)['messages']['value'], 'Message'>(true);
assertEqual<(typeof COMMUNICATION_TOPICS)['readReceipts']['name'], 'application.communication.read-receipts'>(true);

// The schema constants are schemas to avsc.
const forAvsc: Exclude<avsc.Schema, avsc.Type> = MESSAGE_SCHEMA;
const all: Array<Exclude<avsc.Schema, avsc.Type>> = Object.values(RECORD_SCHEMAS);
void forAvsc;
void all;

// @ts-expect-error a missing field does not type-check
const incomplete: Tag = { id: 'x', name: 'y' };
void incomplete;
