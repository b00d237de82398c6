import { StreamsError } from '../errors.js';
import type { StateStore } from './types.js';

/** Where a store is in its lifecycle. */
export type StoreStatus = 'opening' | 'open' | 'closing' | 'closed';

/**
 * Owns the open/closed lifecycle every state store shares (C4): concurrent `open()`/`close()`
 * calls settle on one transition, `close()` flushes first, and every operation on a store that
 * is not open throws a StreamsError with code `STREAMS_STORE_NOT_OPEN`. A closed store can be
 * opened again. Backends override the protected `_open`, `_flush` and `_close` hooks.
 */
export abstract class AbstractStateStore implements StateStore {
  readonly name: string;
  abstract readonly persistent: boolean;
  #status: StoreStatus = 'closed';
  #transition: Promise<void> | undefined;

  /** @param name the store's name; non-empty, used in changelog topic names and directory names. */
  constructor(name: string) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new TypeError('A store name must be a non-empty string');
    }
    this.name = name;
  }

  get status(): StoreStatus {
    return this.#status;
  }

  get isOpen(): boolean {
    return this.#status === 'open';
  }

  /** Opens the store; resolves at once when it is already open. */
  async open(): Promise<void> {
    while (this.#transition !== undefined) await this.#transition.catch(() => undefined);
    if (this.#status === 'open') return;
    this.#status = 'opening';
    await this.#run(async () => {
      try {
        await this._open();
        this.#status = 'open';
      } catch (err) {
        this.#status = 'closed';
        throw err;
      }
    });
  }

  /** Writes every buffered change to the backend; rejects with STREAMS_STORE_NOT_OPEN when not open. */
  async flush(): Promise<void> {
    this.assertOpen();
    await this._flush();
  }

  /** Flushes, then releases the backend; resolves at once when already closed. */
  async close(): Promise<void> {
    while (this.#transition !== undefined) await this.#transition.catch(() => undefined);
    if (this.#status === 'closed') return;
    this.#status = 'closing';
    await this.#run(async () => {
      try {
        await this._flush();
      } finally {
        try {
          await this._close();
        } finally {
          this.#status = 'closed';
        }
      }
    });
  }

  /** Throws STREAMS_STORE_NOT_OPEN unless the store is open. */
  protected assertOpen(): void {
    if (this.#status !== 'open') {
      throw new StreamsError('STREAMS_STORE_NOT_OPEN', `State store "${this.name}" is ${this.#status}`);
    }
  }

  protected async _open(): Promise<void> {}
  protected async _flush(): Promise<void> {}
  protected async _close(): Promise<void> {}

  async #run(step: () => Promise<void>): Promise<void> {
    const transition = step();
    this.#transition = transition;
    try {
      await transition;
    } finally {
      this.#transition = undefined;
    }
  }
}
