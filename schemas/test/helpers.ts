/**
 * The one helpers module of the schemas tests: fast-check arbitraries for ids and metadata, and
 * a sample of every record.
 */
import fc from 'fast-check';
import type { JsonObject, JsonValue } from '../src/json-value.js';
import type { MetadataChange } from '../src/metadata/metadata-merge.js';
import type { RecordName, RecordTypes } from '../src/generated/records.js';
import { METADATA_VALUE_TYPE_SYMBOLS } from '../src/generated/records.js';

/** Any well-formed string, ASCII or not (graphemes keep surrogates paired). */
export const anyText = fc.oneof(fc.string({ unit: 'grapheme-ascii' }), fc.string({ unit: 'grapheme' }));
export const nonEmptyText = anyText.filter((s) => s !== '');

/** A version-5 UUID with the RFC 4122 variant, lowercase. */
export const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Lowercase canonical UUIDs, as Parley ids are. */
export const parleyId = fc.uuid().map((id) => id.toLowerCase());

/**
 * Two different pairs whose plain concatenations are equal, e.g. ("ab", "c") and ("a", "bc"):
 * the inputs on which Airy's concatenating derivation collides.
 */
export const shiftedPairs = fc
  .tuple(nonEmptyText, nonEmptyText, fc.nat())
  .map(([a, b, cut]) => {
    const whole = [...a, ...b]; // code points, so a cut never splits a surrogate pair
    const at = 1 + (cut % (whole.length - 1 || 1));
    return { first: [a, b] as const, second: [whole.slice(0, at).join(''), whole.slice(at).join('')] as const };
  })
  .filter(({ first, second }) => first[0] !== second[0] && second[0] !== '' && second[1] !== '');

/** A key segment: non-empty, no dot; includes the names that would reach Object.prototype. */
export const keySegment = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString') },
  { weight: 6, arbitrary: nonEmptyText.filter((s) => !s.includes('.')) },
);

/** A finite number as JSON keeps it (no -0). */
const jsonNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })).map((n) => (Object.is(n, -0) ? 0 : n));
const jsonPrimitive = fc.oneof(anyText, jsonNumber, fc.boolean(), fc.constant(null));

const jsonTree = fc.letrec<{ value: JsonValue; object: JsonObject }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, jsonPrimitive, fc.array(tie('value'), { maxLength: 3 }), tie('object')),
  object: fc.dictionary(keySegment, tie('value'), { maxKeys: 4, noNullPrototype: true }),
}));

/** Any JSON value whose object keys are valid key segments (arrays may hold anything JSON). */
export const jsonValue: fc.Arbitrary<JsonValue> = jsonTree.value;
/** A metadata document: a JSON object with valid key segments at every level. */
export const metadataDocumentArb: fc.Arbitrary<JsonObject> = jsonTree.object;

/**
 * A change of one of a few keys at one of a few times, so ties and prefix conflicts (`a` vs
 * `a.b`) are common. About one in four is a tombstone.
 */
export function metadataChange(keys: readonly string[] = ['a', 'a.b', 'b', 'c.d', 'contact.display_name']): fc.Arbitrary<MetadataChange> {
  const key = fc.constantFrom(...keys);
  const timestamp = fc.integer({ min: 0, max: 4 });
  const entry = fc.record({
    key,
    timestamp,
    valueType: fc.constantFrom(...METADATA_VALUE_TYPE_SYMBOLS),
    value: fc.constantFrom('1', '2', 'x', 'true', '[1]', '{"k":1}', ''),
  });
  const tombstone = fc.record({ key, timestamp, value: fc.constant(null) });
  return fc.oneof({ weight: 3, arbitrary: entry }, { weight: 1, arbitrary: tombstone });
}

const T0 = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
const CHANNEL = '486ad6b1-9276-5b65-9d72-ff2f8b3b2bf2';
const CONVERSATION = '37566119-b0fd-5fc0-8f02-fbe5ac3a0a31';

/**
 * Samples of every record: the first with every optional field null (or defaulted), the second
 * with every field set. Typed as the generated types, so a field missing from a sample or not in
 * the type fails to compile.
 */
export const SAMPLES: { [TName in RecordName]: [RecordTypes[TName], RecordTypes[TName]] } = {
  Channel: [
    { id: CHANNEL, source: 'facebook', sourceChannelId: '1234567890', token: null, connectionState: 'DISCONNECTED' },
    { id: CHANNEL, source: 'facebook', sourceChannelId: '1234567890', token: 'EAAB…', connectionState: 'CONNECTED' },
  ],
  Message: [
    {
      id: '615ef212-efb3-58a4-aec2-b2dcb853ab85',
      headers: null,
      senderType: 'CONTACT',
      senderId: 'psid-42',
      deliveryState: 'DELIVERED',
      conversationId: CONVERSATION,
      channelId: CHANNEL,
      source: 'facebook',
      sourceRecipientId: null,
      content: '{"mid":"m_abc","text":"hello"}',
      sentAt: T0,
      updatedAt: null,
    },
    {
      id: 'b7f0a4c2-0d8e-4c1e-9a55-1f3c2e4d5a6b',
      headers: { 'postback.payload': 'BUY' },
      senderType: 'USER',
      senderId: 'github:octocat',
      deliveryState: 'FAILED',
      conversationId: CONVERSATION,
      channelId: CHANNEL,
      source: 'twilio.sms',
      sourceRecipientId: '+4915112345678',
      content: '{"Body":"hi"}',
      sentAt: T0,
      updatedAt: T0 + 1500,
    },
  ],
  Metadata: [
    { subject: `conversation:${CONVERSATION}`, key: 'state', value: 'OPEN', valueType: 'TEXT', timestamp: T0 },
    { subject: `conversation:${CONVERSATION}`, key: 'unread_count', value: '3', valueType: 'NUMBER', timestamp: T0 },
  ],
  ReadReceipt: [
    { conversationId: CONVERSATION, readAt: T0, userId: null },
    { conversationId: CONVERSATION, readAt: T0, userId: 'github:octocat' },
  ],
  Source: [
    { id: 'my-crm', token: 's3cret', name: null, imageUrl: null, actionEndpoint: null, idScheme: 'PARLEY', createdAt: T0 },
    { id: 'my-crm', token: 's3cret', name: 'My CRM', imageUrl: 'https://example.com/i.png', actionEndpoint: 'https://example.com/send', idScheme: 'AIRY', createdAt: T0 },
  ],
  Tag: [
    { id: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'VIP', color: 'PURPLE' },
    { id: 'a1b2c3d4-0000-4000-8000-000000000002', name: 'Ärger 🔥', color: 'RED' },
  ],
  Template: [
    { id: 'a1b2c3d4-0000-4000-8000-000000000003', name: 'greeting', source: 'facebook', content: '{"text":"Hello!"}' },
    { id: 'a1b2c3d4-0000-4000-8000-000000000004', name: '', source: 'google', content: '{}' },
  ],
  User: [
    { id: 'system-token-abcd', name: null, avatarUrl: null, firstSeenAt: T0, lastSeenAt: T0 },
    { id: 'github:octocat', name: 'Octocat', avatarUrl: 'https://example.com/o.png', firstSeenAt: T0, lastSeenAt: T0 + 60_000 },
  ],
  Webhook: [
    { id: 'hook-1', name: null, endpoint: 'https://example.com/hook', events: [], headers: null, signKey: null, status: 'UNSUBSCRIBED', subscribedAt: T0, previousSignKey: null, previousSignKeyUntil: null, disabledReason: '410 Gone' },
    {
      id: 'hook-2',
      name: 'CRM sync',
      endpoint: 'https://example.com/hook',
      events: ['message.created', 'conversation.updated'],
      headers: { 'X-Api-Key': 'k' },
      signKey: 'whsec_c2lnbi1tZQ==',
      status: 'SUBSCRIBED',
      subscribedAt: T0,
      previousSignKey: 'whsec_b2xkLWtleQ==',
      previousSignKeyUntil: T0 + 86_400_000,
      disabledReason: null,
    },
  ],
};
