import { createHmac, timingSafeEqual } from 'node:crypto';
import { modelSerdes } from '@parley/communication';
import { channelId, COMMUNICATION_TOPICS, conversationId, messageId, sourceEventsTopic, type Message } from '@parley/schemas';
import { defineRoute, sourceTopics, SourcesError, type ProviderDefinition, type SourceTopology, type WebhookHandler } from '@parley/sources';
import { AppendBatcher, StreamsBuilder, type Log } from '@parley/streams';
import { z } from 'zod';

/** 1. Name, raw topic and configuration section (`sources.example`). */
export const EXAMPLE = 'example';
export const EXAMPLE_EVENTS_TOPIC = sourceEventsTopic(EXAMPLE);

export const exampleConfigSchema = z.strictObject({
  /** The key the provider signs its webhook calls with (HMAC-SHA256, hex, header `x-example-signature`). */
  signingSecret: z.string().min(16),
});
export type ExampleConfig = z.output<typeof exampleConfigSchema>;

/** One event as the provider posts it. */
const exampleEvent = z.object({ id: z.string().min(1), account: z.string().min(1), contact: z.string().min(1), text: z.string(), sent_at: z.int() });

/** 2. The webhook: handshake, signature over the raw bytes, raw body appended untouched, 200 only after the append. */
export function exampleWebhook(config: ExampleConfig, log: () => Log): WebhookHandler {
  let batcher: AppendBatcher | undefined;
  return async (request) => {
    if (request.method === 'GET') return { status: 200, body: String(request.query.challenge ?? '') };
    const header = request.headers['x-example-signature'];
    const given = Buffer.from(typeof header === 'string' ? header : '', 'hex');
    const expected = createHmac('sha256', config.signingSecret).update(request.rawBody).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new SourcesError('SOURCES_SIGNATURE_INVALID', 'x-example-signature does not match the body');
    batcher ??= new AppendBatcher(log());
    try {
      await batcher.append(EXAMPLE_EVENTS_TOPIC, [{ key: null, value: request.rawBody }]);
    } catch (cause) {
      throw new SourcesError('SOURCES_LOG_UNAVAILABLE', 'the log did not accept the event; send it again', { cause, retriable: true });
    }
    return { status: 200, body: { ok: true } };
  };
}

/** 3. The router topology: raw events → Message records with deterministic ids (a replay rewrites the same keys). */
export function exampleRouter(): SourceTopology {
  const serdes = modelSerdes();
  return {
    name: 'example-router',
    applicationId: 'sources.example.router',
    topics: sourceTopics([EXAMPLE_EVENTS_TOPIC]),
    build() {
      const builder = new StreamsBuilder();
      builder
        .stream(EXAMPLE_EVENTS_TOPIC, { keySerde: serdes.key, valueSerde: serdes.raw })
        .flatMap((_key, raw) => {
          const parsed = exampleEvent.safeParse(JSON.parse(raw.toString('utf8')));
          if (!parsed.success) return []; // a real provider sends it to its dead-letter topic with the reason
          const event = parsed.data;
          const channel = channelId(EXAMPLE, event.account);
          const message: Message = {
            id: messageId(channel, event.id),
            headers: null,
            senderType: 'CONTACT',
            senderId: event.contact,
            deliveryState: 'DELIVERED',
            conversationId: conversationId(channel, event.contact),
            channelId: channel,
            source: EXAMPLE,
            sourceRecipientId: null,
            content: JSON.stringify({ text: event.text }),
            sentAt: event.sent_at,
            updatedAt: null,
          };
          return [[message.id, message] as const];
        })
        .to(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message });
      return builder.build();
    },
  };
}

/** 4. A channel management route: `channels.example.connect` writes the Channel record. */
function connectRoute(log: () => Log) {
  const serdes = modelSerdes();
  return defineRoute({
    name: 'channels.example.connect',
    summary: 'Connects an account of the example provider',
    request: z.object({ account: z.string().min(1).max(256) }),
    response: z.strictObject({ id: z.string(), source: z.string(), source_channel_id: z.string(), connected: z.boolean() }),
    successStatus: 201,
    example: { account: 'acct-1' },
    async handler(_ctx, body) {
      const id = channelId(EXAMPLE, body.account);
      const value = serdes.channel.serialize({ id, source: EXAMPLE, sourceChannelId: body.account, token: null, connectionState: 'CONNECTED' });
      await log().append(COMMUNICATION_TOPICS.channels.name, [{ key: Buffer.from(id), value }]);
      return { id, source: EXAMPLE, source_channel_id: body.account, connected: true };
    },
  });
}

/** 5. The provider: what the host registers when `sources.example` is present and not `enabled: false`. */
export const exampleProvider: ProviderDefinition<ExampleConfig> = {
  name: EXAMPLE,
  configSchema: exampleConfigSchema,
  register(host, config) {
    const log = () => host.log; // the log is open only once the host has started
    host.registerWebhook({ provider: EXAMPLE, handle: exampleWebhook(config, log) });
    host.registerRoute(connectRoute(log));
    const router = exampleRouter();
    host.registerTopology({ name: router.name, applicationId: router.applicationId, topics: router.topics, get: () => router });
  },
};
