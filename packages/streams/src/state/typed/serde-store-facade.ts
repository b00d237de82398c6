import type { Serde } from '../../serde/types.js';
import type { StateStore } from '../types.js';
import type { ChangeLogger } from '../builders/store-builder.js';

/** @internal What every typed store facade is built from, besides how it encodes values. */
export interface SerdeStoreFacadeOptions<TInner extends StateStore, TKey> {
  /** The byte store the facade reads and writes. */
  inner: TInner;
  keySerde: Serde<TKey>;
  /** Receives each change; null when logging is disabled. */
  changelog: ChangeLogger | null;
  /** The timestamp of the record being processed, in ms: the changelog record's default timestamp. */
  currentTimestamp: () => number;
}

/**
 * @internal The part the typed facades over byte stores (key-value, window, session) share: the
 * byte store, the key serde and the change-logging layer. Subclasses add the value layout.
 */
export abstract class SerdeStoreFacade<TInner extends StateStore, TKey> {
  protected readonly inner: TInner;
  protected readonly keySerde: Serde<TKey>;
  protected readonly changelog: ChangeLogger | null;
  protected readonly currentTimestamp: () => number;

  constructor(options: SerdeStoreFacadeOptions<TInner, TKey>) {
    this.inner = options.inner;
    this.keySerde = options.keySerde;
    this.changelog = options.changelog;
    this.currentTimestamp = options.currentTimestamp;
  }

  get name(): string {
    return this.inner.name;
  }
}
