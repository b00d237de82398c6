import { mergeMetadata, metadataDocument, parseMetadataSubject, type MetadataChange, type MetadataState } from '@parley/schemas';
import type { Processor, ProcessorContext, StreamRecord, TypedKeyValueStore } from '@parley/streams';
import { COMMUNICATION_STORES } from '../store-names.js';
import type { CommunicationListener } from './communication-listener.js';
import type { ConversationEvent } from './conversation-event.js';

/** A subject's stored state (a list of winning changes) as the map the merge helpers take. */
export function toMetadataState(changes: readonly MetadataChange[] | undefined): MetadataState {
  return new Map((changes ?? []).map((change) => [change.key, change]));
}

/**
 * Merges each subject's changes by timestamp (`mergeMetadata`: per key the latest wins, a
 * tombstone wins ties and is kept, so a late older write cannot resurrect a deleted attribute;
 * the result is the same in any arrival order) into the `metadata` store, keyed by subject. A
 * change that wins nothing writes and emits nothing. For `conversation:<id>` subjects the merged
 * document is forwarded, keyed by conversation id, to the conversation aggregator; for
 * `contact:<id>` subjects the listener hears the merged state (the query layer's contact index).
 */
export class MetadataAggregator implements Processor<string, MetadataChange, string, ConversationEvent> {
  readonly #listener: CommunicationListener | undefined;
  #context!: ProcessorContext<string, ConversationEvent>;
  #store!: TypedKeyValueStore<string, MetadataChange[]>;

  constructor(listener?: CommunicationListener) {
    this.#listener = listener;
  }

  init(context: ProcessorContext<string, ConversationEvent>): void {
    this.#context = context;
    this.#store = context.getStateStore(COMMUNICATION_STORES.metadata);
  }

  process(record: StreamRecord<string, MetadataChange>): void {
    const { key: subject, value: change } = record;
    if (subject === null || change === null) return;
    const base = toMetadataState(this.#store.get(subject));
    const merged = mergeMetadata([change], base);
    if (merged === base) return;
    this.#store.put(subject, [...merged.values()]);
    const parsed = parseMetadataSubject(subject);
    if (parsed?.namespace === 'contact') this.#listener?.contactChanged?.(parsed.id, merged);
    if (parsed?.namespace !== 'conversation') return;
    this.#context.forward({ ...record, key: parsed.id, value: { type: 'metadata', document: metadataDocument(merged) } });
  }
}
