/**
 * Feeds the chat socket hub: a consumer of the messages and channels topics in a consumer group
 * of its own (one per process, no committed offsets), starting at the end of the topics when the
 * runtime starts. Every chat plugin message record (a visitor's message as routed, an agent's
 * reply as PENDING, then DELIVERED or FAILED) is pushed to the sockets of its conversation; a
 * chat plugin channel record DISCONNECTED closes that channel's sockets.
 *
 * With several runtime processes on one Kafka cluster each process reads every partition in its
 * own group and pushes to the sockets it holds, so a visitor reaches any process. Nothing is
 * replayed after a restart: a widget that reconnects reads what it missed with
 * `chatplugin.messages` (or authenticate with its resume token).
 */
import { randomUUID } from 'node:crypto';
import { COMMUNICATION_TOPICS, type Channel, type Message } from '@parley/schemas';
import { modelSerdes, renderMessage } from '@parley/communication';
import { CHATPLUGIN_SOURCE } from './chatplugin-topics.js';
import type { Log, LogConsumer, RecordBatch } from '@parley/streams';
import type { HostLogger } from '../host/host-logger.js';
import type { ChatSocketHub } from './chat-socket-hub.js';

/** The push frame of one message. */
export interface MessagePush {
  type: 'message';
  conversation_id: string;
  channel_id: string;
  message: ReturnType<typeof renderMessage>;
}

export interface MessageFanOutOptions {
  log: Log;
  hub: Pick<ChatSocketHub, 'publish' | 'closeChannel'>;
  logger: HostLogger;
}

export class MessageFanOut {
  /** `parley-chatplugin-push-<random>`: a group per process, so every process sees every record. */
  readonly groupId = `parley-chatplugin-push-${randomUUID()}`;
  readonly #options: MessageFanOutOptions;
  readonly #serdes = modelSerdes();
  #consumer: LogConsumer | undefined;

  constructor(options: MessageFanOutOptions) {
    this.#options = options;
  }

  /** Joins the group at the topics' ends; resolves once records appended from now on will be seen. */
  async start(): Promise<void> {
    const consumer = this.#options.log.consumer({
      groupId: this.groupId,
      topics: [COMMUNICATION_TOPICS.messages.name, COMMUNICATION_TOPICS.channels.name],
      autoOffsetReset: 'latest',
      onError: (err) => this.#options.logger.error('chatplugin.fan_out.failed', { err }),
    });
    this.#consumer = consumer;
    await consumer.run((batch) => this.#deliver(batch));
  }

  async stop(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await consumer?.stop();
  }

  #deliver(batch: RecordBatch): void {
    const messages = batch.topic === COMMUNICATION_TOPICS.messages.name;
    for (const record of batch.records) {
      if (record.value === null) continue; // a tombstone
      try {
        if (messages) this.#message(this.#serdes.message.deserialize(record.value, record.topic));
        else this.#channel(this.#serdes.channel.deserialize(record.value, record.topic));
      } catch (err) {
        // One unreadable record must not stop the pushes of every other conversation.
        this.#options.logger.warn('chatplugin.fan_out.skipped', { topic: record.topic, partition: record.partition, offset: record.offset, err });
      }
    }
  }

  #message(message: Message): void {
    if (message.source !== CHATPLUGIN_SOURCE) return;
    const push: MessagePush = { type: 'message', conversation_id: message.conversationId, channel_id: message.channelId, message: renderMessage(message) };
    this.#options.hub.publish(message.conversationId, push);
  }

  #channel(channel: Channel): void {
    if (channel.source === CHATPLUGIN_SOURCE && channel.connectionState !== 'CONNECTED') this.#options.hub.closeChannel(channel.id);
  }
}
