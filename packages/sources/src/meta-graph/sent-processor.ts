/**
 * The send step of the Meta connectors that also record the id Meta gave a sent message
 * (Instagram's mid, WhatsApp's wamid): like DeliveryOutcomeProcessor, but the output is stamped
 * with the start of the send, since Meta can echo a message, or report on it, only after it
 * received it — so the router that later looks the id up finds it.
 */
import type { Processor, ProcessorContext, StreamRecord } from '@parley/streams';
import type { DeliveryOutcome } from '../delivery-outcome.js';

export abstract class StampedAtSendProcessor<TPending, TSent extends { outcome: DeliveryOutcome }> implements Processor<string, TPending, string, TSent> {
  readonly #clock: (() => number) | undefined;
  #context!: ProcessorContext<string, TSent>;

  /** `clock`: milliseconds since the epoch; default the task's system time. */
  constructor(clock: (() => number) | undefined) {
    this.#clock = clock;
  }

  init(context: ProcessorContext<string, TSent>): void {
    this.#context = context;
  }

  async process(record: StreamRecord<string, TPending>): Promise<void> {
    const startedAt = this.now();
    const sent = await this.send(record.value, startedAt);
    this.#context.forward({ ...record, key: sent.outcome.message.id, value: sent, timestamp: Math.max(record.timestamp, startedAt) });
  }

  protected now(): number {
    return this.#clock?.() ?? this.#context.currentSystemTimeMs();
  }

  /** Sends the message (or decides it cannot be sent) at `now`, the start of the send. */
  protected abstract send(pending: TPending, now: number): Promise<TSent>;
}
