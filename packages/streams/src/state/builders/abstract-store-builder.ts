import type { StateStore } from '../types.js';
import type { BuiltStore, StoreBuildContext, StoreBuilder } from './store-builder.js';
import type { SerdeStoreFacadeOptions } from '../typed/serde-store-facade.js';

/** @internal The settings every typed store builder keeps in its spec. */
export interface StoreBuilderSpec {
  readonly name: string;
  readonly persistent: boolean;
  readonly loggingEnabled: boolean;
}

/**
 * @internal The base of the typed store builders (key-value, window, session): an immutable
 * spec behind the `StoreBuilder` getters. `withLoggingDisabled` copies the builder through
 * `_withSpec`; subclasses build the byte store and its facade.
 */
export abstract class AbstractStoreBuilder<TSpec extends StoreBuilderSpec, TStore> implements StoreBuilder<TStore> {
  protected readonly spec: TSpec;

  constructor(spec: TSpec) {
    this.spec = spec;
  }

  get name(): string {
    return this.spec.name;
  }

  get persistent(): boolean {
    return this.spec.persistent;
  }

  get loggingEnabled(): boolean {
    return this.spec.loggingEnabled;
  }

  withLoggingDisabled(): StoreBuilder<TStore> {
    return this._withSpec({ ...this.spec, loggingEnabled: false });
  }

  abstract build(context: StoreBuildContext): BuiltStore<TStore>;

  /** A builder like this one but for `spec`. */
  protected abstract _withSpec(spec: TSpec): StoreBuilder<TStore>;

  /** The change-logging options of one task's facade: no changelog when logging is disabled. */
  protected _facadeLogging(context: StoreBuildContext): Pick<SerdeStoreFacadeOptions<StateStore, unknown>, 'changelog' | 'currentTimestamp'> {
    return { changelog: this.spec.loggingEnabled ? context.changelog : null, currentTimestamp: () => context.currentTimestamp() };
  }
}
