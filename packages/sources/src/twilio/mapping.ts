/**
 * Twilio's webhook bodies, as the router reads them back from the raw topic: form parameters (or
 * a JSON object of them, the `bodySHA256` variant) → an inbound message or a status callback.
 *
 * Inbound: `MessageSid`, `From`, `To`, `Body`, `NumMedia` with `MediaUrl{N}` and
 * `MediaContentType{N}`, WhatsApp's `ProfileName`. Content is `{"Body", "MediaUrl"?, "MediaContentType"?}`,
 * the shape outbound messages are sent in. Status callback: `MessageSid`, `MessageStatus`,
 * `ErrorCode`, `ErrorMessage`; it names our message through the record key (see the webhook).
 */
import { SourcesError } from '../errors.js';
import { formParams } from './twilio-signature.js';

export interface TwilioInbound {
  kind: 'inbound';
  messageSid: string;
  from: string;
  to: string;
  content: { Body: string; MediaUrl?: string[]; MediaContentType?: string[] };
  profileName: string | undefined;
}

/** Outbound statuses in the order they happen; a later callback of a lower rank is out of order. */
export const TWILIO_STATUS_RANK: Readonly<Record<string, number>> = Object.freeze({
  accepted: 0,
  scheduled: 0,
  queued: 0,
  sending: 1,
  sent: 2,
  partially_delivered: 3,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  canceled: 3,
  read: 4,
});

/** Statuses that mean the message did not reach the contact. */
export const TWILIO_FAILED_STATUSES: ReadonlySet<string> = new Set(['undelivered', 'failed', 'canceled']);

export interface TwilioStatus {
  kind: 'status';
  messageSid: string;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
}

export type TwilioEvent = TwilioInbound | TwilioStatus;

/** Reads a raw body's parameters (first value per name; media lists are numbered). */
export function twilioParams(raw: Buffer): Map<string, string> {
  const text = raw.toString('utf8');
  const params = new Map<string, string>();
  if (text.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new SourcesError('SOURCES_INVALID_PAYLOAD', 'the body is neither form parameters nor a JSON object', { cause });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SourcesError('SOURCES_INVALID_PAYLOAD', 'the JSON body is not an object');
    for (const [name, value] of Object.entries(parsed)) if (typeof value === 'string' || typeof value === 'number') params.set(name, String(value));
    return params;
  }
  for (const [name, values] of formParams(text)) params.set(name, values[0]!);
  return params;
}

const MAX_MEDIA = 10;

/**
 * The event a raw body carries. A `MessageStatus` other than `received`/`receiving` makes it a
 * status callback.
 * @throws SourcesError SOURCES_INVALID_PAYLOAD naming the missing or bad parameter.
 */
export function parseTwilioEvent(raw: Buffer): TwilioEvent {
  const params = twilioParams(raw);
  const required = (name: string): string => {
    const value = params.get(name);
    if (value === undefined || value.length === 0) throw new SourcesError('SOURCES_INVALID_PAYLOAD', `parameter ${name} is missing`, { field: name });
    return value;
  };
  const messageSid = params.get('MessageSid') ?? params.get('SmsMessageSid') ?? params.get('SmsSid');
  if (messageSid === undefined || messageSid.length === 0) throw new SourcesError('SOURCES_INVALID_PAYLOAD', 'parameter MessageSid is missing', { field: 'MessageSid' });
  const status = params.get('MessageStatus');
  if (status !== undefined && status !== 'received' && status !== 'receiving') {
    if (!(status in TWILIO_STATUS_RANK)) throw new SourcesError('SOURCES_INVALID_PAYLOAD', `unknown MessageStatus ${JSON.stringify(status)}`, { field: 'MessageStatus' });
    return { kind: 'status', messageSid, status, errorCode: nonEmpty(params.get('ErrorCode')), errorMessage: nonEmpty(params.get('ErrorMessage')) };
  }
  const numMedia = Number(params.get('NumMedia') ?? '0');
  if (!Number.isInteger(numMedia) || numMedia < 0 || numMedia > MAX_MEDIA) throw new SourcesError('SOURCES_INVALID_PAYLOAD', `NumMedia must be an integer from 0 to ${MAX_MEDIA}`, { field: 'NumMedia' });
  const content: TwilioInbound['content'] = { Body: params.get('Body') ?? '' };
  if (numMedia > 0) {
    content.MediaUrl = Array.from({ length: numMedia }, (_, i) => required(`MediaUrl${i}`));
    content.MediaContentType = Array.from({ length: numMedia }, (_, i) => params.get(`MediaContentType${i}`) ?? '');
  }
  return { kind: 'inbound', messageSid, from: required('From'), to: required('To'), content, profileName: nonEmpty(params.get('ProfileName')) ?? undefined };
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.length === 0 ? null : value;
}
