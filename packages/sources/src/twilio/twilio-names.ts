/**
 * The two Twilio providers sharing this folder. A provider's name is the `sources.<name>` key,
 * the webhook path `/webhooks/<name>` and the raw topic `source.<name>.events` (lisp-case, so
 * `twilio-sms`); its messages and channels carry the model's source name (`twilio.sms`).
 */
import { sourceEventsTopic } from '@parley/schemas';
import type { NewTopic } from '@parley/streams';
import { sourceTopics } from '../source-topics.js';

export type TwilioKind = 'sms' | 'whatsapp';

export interface TwilioNames {
  kind: TwilioKind;
  /** `twilio-sms`: config key, webhook path segment, topic segment. */
  provider: string;
  /** `twilio.sms`: Message.source and Channel.source. */
  source: string;
  /** Twilio's address prefix of the channel's numbers (`whatsapp:+4915…`), empty for SMS. */
  addressPrefix: string;
  eventsTopic: string;
  /** Raw events the router could not route, as JSON `{ code, reason, item }`. */
  deadLetterTopic: string;
  applicationIds: { router: string; connector: string };
}

function names(kind: TwilioKind, addressPrefix: string): TwilioNames {
  const provider = `twilio-${kind}`;
  return {
    kind,
    provider,
    source: `twilio.${kind}`,
    addressPrefix,
    eventsTopic: sourceEventsTopic(provider),
    deadLetterTopic: `source.${provider}.dead-letters`,
    applicationIds: { router: `sources.${provider}.router`, connector: `sources.${provider}.connector` },
  };
}

export const TWILIO_NAMES: Readonly<Record<TwilioKind, TwilioNames>> = Object.freeze({ sms: names('sms', ''), whatsapp: names('whatsapp', 'whatsapp:') });

/** Every topic a Twilio provider's topologies use. */
export function twilioTopics(names: TwilioNames, partitions: number): NewTopic[] {
  return sourceTopics([names.eventsTopic, names.deadLetterTopic], partitions);
}
