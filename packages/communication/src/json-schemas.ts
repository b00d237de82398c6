import { z } from 'zod';

/**
 * Request and response schemas shared by the communication endpoints (snake_case, as the read
 * model renders them). Response schemas are strict: a field the contract does not declare never
 * leaves the server.
 *
 * JSON values are described without recursion (`z.json()` would put `$defs` inside each
 * operation, which an OpenAPI document cannot resolve).
 */

/** A Parley id: a canonical (lowercase) UUID. Anything else is a 400, never a lookup. */
export const parleyId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a Parley id (a lowercase UUID)')
  .describe('A Parley id (lowercase UUID)');

/** Any JSON value, required (a missing field is a 400). */
export const jsonValue = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())])
  .describe('Any JSON value');

/** A JSON object. */
export const jsonObject = z.record(z.string(), z.unknown());

/** Short non-empty text (names, states). */
export const shortText = (max = 256) => z.string().trim().min(1).max(max);

const isoTime = z.iso.datetime().describe('ISO-8601 UTC with milliseconds');

export const channelSchema = z.strictObject({
  id: z.string(),
  source: z.string(),
  source_channel_id: z.string(),
  connected: z.boolean(),
  metadata: jsonObject.describe('Channel metadata; `name` defaults to "<source> <last 5 of the id>". Never the token'),
});

export const messageSchema = z.strictObject({
  id: z.string(),
  content: z.unknown().describe('The content in the source\'s format: parsed JSON when it is JSON, else the text'),
  delivery_state: z.enum(['pending', 'delivered', 'failed']),
  from_contact: z.boolean(),
  sender: z.strictObject({ id: z.string(), type: z.enum(['contact', 'user', 'app']) }),
  sent_at: isoTime,
  updated_at: isoTime.nullable().describe('When the record last changed; null for a message never updated'),
  source: z.string(),
  metadata: jsonObject,
});

export const conversationSchema = z.strictObject({
  id: z.string(),
  created_at: isoTime,
  source_conversation_id: z.string().nullable().describe("The contact's id at the source"),
  channel: channelSchema,
  metadata: jsonObject.describe('Conversation metadata with `contact.display_name` defaulted and `unread_count` set'),
  last_message: messageSchema,
});

export const TAG_COLORS = ['tag-red', 'tag-green', 'tag-blue', 'tag-purple'] as const;

export const tagSchema = z.strictObject({ id: z.string(), name: z.string(), color: z.enum(TAG_COLORS) });

export const templateSchema = z.strictObject({ id: z.string(), name: z.string(), source: z.string(), content: z.unknown() });

/** `{ data: [item] }`, the answer of the unpaginated lists (Airy's docs said `tags` for tags.list). */
export function listSchema<TItem extends z.ZodType>(item: TItem) {
  return z.strictObject({ data: z.array(item) });
}

export const contactSchema = z.strictObject({
  id: z.string(),
  display_name: z.string().nullable().describe("Its own name, else the name a source gave in one of its conversations"),
  avatar_url: z.string().nullable(),
  title: z.string().nullable(),
  gender: z.string().nullable(),
  timezone: z.number().nullable().describe('Offset from UTC in hours'),
  locale: z.string().nullable(),
  organization_name: z.string().nullable(),
  via: jsonObject.describe('How to reach the contact, e.g. `{ "phone": "+49…", "email": "…" }`'),
  address: jsonObject.nullable().describe('`organization_name`, `address_line1`, `address_line2`, `postal_code`, `city`, `state`, `country`'),
  conversations: z.record(z.string(), z.string()).describe('The conversations that belong to the contact → their source'),
  metadata: jsonObject.describe('Free attributes'),
  merge_history: z.array(z.unknown()).describe('The contacts merged into this one, as they were (with `merged_at`), oldest merge first'),
  created_at: isoTime.nullable(),
  updated_at: isoTime.describe('When an attribute last changed'),
});
