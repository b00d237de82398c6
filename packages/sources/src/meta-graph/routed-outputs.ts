/**
 * The output side of the Meta routers: each routed item goes to the messages topic, the metadata
 * topic (records or tombstones), a branch of the provider's own (Messenger's watermarks) or the
 * provider's dead letter topic. The branches keep the order and names the Instagram and WhatsApp
 * routers gave them, so their topologies are unchanged.
 */
import { COMMUNICATION_TOPICS, metadataId, type Message, type Metadata } from '@parley/schemas';
import { Branched, Serdes, type KStream } from '@parley/streams';
import type { ModelSerdes } from '@parley/communication';

/** What a router decided for one item. */
export type MetaRouted<TDeadLetter> =
  | { kind: 'message'; message: Message }
  | { kind: 'metadata'; records: Metadata[] }
  | { kind: 'tombstones'; keys: string[] }
  | { kind: 'dead'; letter: TDeadLetter };

export interface RoutedOutputsOptions<TDeadLetter> {
  /** Name of the split (its branches are `<named>messages`, …). */
  named: string;
  serdes: ModelSerdes;
  deadLetterTopic: string;
  /** The dead letter's key: the provider's account or number id. */
  deadLetterKey: (letter: TDeadLetter) => string;
  /** Items of a provider's own kind (Messenger's watermarks), each consumed by its named branch before the dead letters. */
  extraBranches?: { name: string; kind: string; consume: (stream: KStream<string, unknown>) => void }[];
}

export function writeRoutedOutputs<TDeadLetter, TExtra extends { kind: string } = never>(routed: KStream<string, MetaRouted<TDeadLetter> | TExtra>, options: RoutedOutputsOptions<TDeadLetter>): void {
  const { serdes } = options;
  const split = routed
    .split({ named: options.named })
    .branch(
      (_k, v) => v.kind === 'message',
      Branched.withConsumer((s) => s.map((_k, v) => [(v as { message: Message }).message.id, (v as { message: Message }).message] as const).to(COMMUNICATION_TOPICS.messages.name, { keySerde: serdes.key, valueSerde: serdes.message }), 'messages'),
    )
    .branch(
      (_k, v) => v.kind === 'metadata',
      Branched.withConsumer((s) =>
        s.flatMap((_k, v) => (v as { records: Metadata[] }).records.map((r) => [metadataId(r.subject, r.key), r] as const)).to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata }),
      'metadata'),
    )
    .branch(
      (_k, v) => v.kind === 'tombstones',
      Branched.withConsumer((s) =>
        s.flatMap((_k, v) => (v as { keys: string[] }).keys.map((key) => [key, null as Metadata | null] as const)).to(COMMUNICATION_TOPICS.metadata.name, { keySerde: serdes.key, valueSerde: serdes.metadata }),
      'tombstones'),
    );
  for (const extra of options.extraBranches ?? []) split.branch((_k, v) => v.kind === extra.kind, Branched.withConsumer((s) => extra.consume(s as KStream<string, unknown>), extra.name));
  split
    .defaultBranch(
      Branched.withConsumer((s) =>
        s.map((_k, v) => [options.deadLetterKey((v as { letter: TDeadLetter }).letter), (v as { letter: TDeadLetter }).letter] as const).to(options.deadLetterTopic, { keySerde: serdes.key, valueSerde: Serdes.json<TDeadLetter>() }),
      'dead-letters'),
    );
}
