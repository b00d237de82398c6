/**
 * The processor shape every connector's send step shares: deliver one pending outbound message,
 * then forward its outcome keyed by the message id, stamped no earlier than the input record.
 */
import type { Processor, ProcessorContext, StreamRecord } from '@parley/streams';
import type { DeliveryOutcome } from './delivery-outcome.js';

export abstract class DeliveryOutcomeProcessor<TPending, TOutcome extends DeliveryOutcome = DeliveryOutcome> implements Processor<string, TPending, string, TOutcome> {
  readonly #clock: (() => number) | undefined;
  #context!: ProcessorContext<string, TOutcome>;

  /** `clock`: milliseconds since the epoch; default the task's system time. */
  constructor(clock: (() => number) | undefined) {
    this.#clock = clock;
  }

  init(context: ProcessorContext<string, TOutcome>): void {
    this.#context = context;
  }

  async process(record: StreamRecord<string, TPending>): Promise<void> {
    const outcome = await this.deliver(record.value);
    this.#context.forward({ ...record, key: outcome.message.id, value: outcome, timestamp: Math.max(record.timestamp, outcome.message.updatedAt ?? 0) });
  }

  protected now(): number {
    return this.#clock?.() ?? this.#context.currentSystemTimeMs();
  }

  /** Sends the message, or decides it cannot be sent: DELIVERED or FAILED. */
  protected abstract deliver(pending: TPending): Promise<TOutcome>;
}
