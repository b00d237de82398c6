/**
 * `channels.twilio.<kind>.connect` and `.disconnect`: a channel is one of the account's numbers.
 * Its `source_channel_id` is the number as Twilio writes it in `To` (`+4915…`, WhatsApp
 * `whatsapp:+4915…`), so its id is `channelId("twilio.<kind>", source_channel_id)`: connecting
 * twice rewrites the same channel, and disconnect needs only the number.
 */
import { modelSerdes } from '@parley/communication';
import { CHANNEL_METADATA_KEYS, channelId, COMMUNICATION_TOPICS, metadataId, metadataRecord, metadataSubject, type Channel } from '@parley/schemas';
import type { Log } from '@parley/streams';
import { z } from 'zod';
import { defineRoute, type AnyRouteDefinition } from '../host/route-definition.js';
import type { TwilioNames } from './twilio-names.js';

/** E.164, whitespace allowed (and removed), as Airy took it. */
const phoneNumber = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\+[1-9][0-9]{1,14}$/, 'must be an E.164 number (+ and up to 15 digits)'))
  .describe('The Twilio number in E.164 (`+4915112345678`)');

const channelAnswer = z.strictObject({ id: z.string(), source: z.string(), source_channel_id: z.string(), connected: z.boolean() });

export function twilioChannelRoutes(names: TwilioNames, log: () => Log): AnyRouteDefinition[] {
  const serdes = modelSerdes();
  const write = async (number: string, state: Channel['connectionState'], extra: { name?: string | undefined; image_url?: string | undefined }) => {
    const sourceChannelId = `${names.addressPrefix}${number}`;
    const id = channelId(names.source, sourceChannelId);
    const channel: Channel = { id, source: names.source, sourceChannelId, token: null, connectionState: state };
    const now = Date.now();
    const metadata = [
      ...(extra.name === undefined ? [] : [metadataRecord({ subject: metadataSubject('channel', id), key: CHANNEL_METADATA_KEYS.name, value: extra.name, timestamp: now })]),
      ...(extra.image_url === undefined ? [] : [metadataRecord({ subject: metadataSubject('channel', id), key: CHANNEL_METADATA_KEYS.imageUrl, value: extra.image_url, timestamp: now })]),
    ];
    if (metadata.length > 0) await log().append(COMMUNICATION_TOPICS.metadata.name, metadata.map((r) => ({ key: Buffer.from(metadataId(r.subject, r.key)), value: serdes.metadata.serialize(r) })));
    await log().append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(id), value: serdes.channel.serialize(channel) }]);
    return { id, source: names.source, source_channel_id: sourceChannelId, connected: state === 'CONNECTED' };
  };
  return [
    defineRoute({
      name: `channels.${names.source}.connect`,
      summary: `Connects a Twilio ${names.kind === 'sms' ? 'SMS' : 'WhatsApp'} number`,
      description: `Point the number's ${names.kind === 'sms' ? 'messaging' : 'WhatsApp sender'} webhook at \`sources.${names.provider}.publicUrl\` (HTTP POST). The channel id is \`channelId("${names.source}", "${names.addressPrefix}<number>")\`.`,
      request: z.object({ phone_number: phoneNumber, name: z.string().min(1).max(256).optional(), image_url: z.url({ protocol: /^https?$/ }).max(2048).optional() }),
      response: channelAnswer,
      successStatus: 201,
      example: { phone_number: '+4915112345678', name: 'Support line' },
      handler: (_ctx, body) => write(body.phone_number, 'CONNECTED', body),
    }),
    defineRoute({
      name: `channels.${names.source}.disconnect`,
      summary: `Disconnects a Twilio ${names.kind === 'sms' ? 'SMS' : 'WhatsApp'} number: its messages go to the dead letters, sends fail (204)`,
      request: z.object({ phone_number: phoneNumber }),
      response: null,
      example: { phone_number: '+4915112345678' },
      async handler(_ctx, body) {
        await write(body.phone_number, 'DISCONNECTED', {});
      },
    }),
  ];
}
