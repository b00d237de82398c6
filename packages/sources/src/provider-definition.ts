/**
 * The provider contract as a host registers it: one `ProviderDefinition` per provider folder
 * (`src/<provider>/`), handed to the host's one generic registration. The host validates the
 * provider's `sources.<name>` section here and calls `register` only when it is enabled.
 */
import type { z } from 'zod';
import type { ProviderHost } from './host/provider-host.js';
import { resolveSourceConfig } from './source-definition.js';

export interface ProviderDefinition<TConfig = unknown> {
  /** `sources.<name>` in the configuration; lowercase letters, digits and dashes. */
  readonly name: string;
  /** Validates the provider's section (without `enabled`): secrets, endpoints, timeouts. */
  readonly configSchema: z.ZodType<TConfig>;
  /**
   * Runs only once its `sources.<name>` section exists: set by a provider that needs credentials
   * (an app secret, a token) and so has no usable defaults. Default false: on unless `enabled: false`.
   */
  readonly offUntilConfigured?: boolean;
  /**
   * For a provider that is off until configured: a `sources.<name>` section that turns it on,
   * with placeholder credentials. The API reference (docs/api.md) is generated from a platform
   * configured with every provider's example, so each provider's routes are documented.
   */
  readonly exampleConfig?: Readonly<Record<string, unknown>>;
  /** Registers the provider's routes, webhook, sockets and topologies on `host`, before it starts. */
  register(host: ProviderHost, config: TConfig): void;
}

/** Any provider, whatever its config type: what a host's list of providers holds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list holds providers of every config type
export type AnyProviderDefinition = ProviderDefinition<any>;

/** A provider's section as the host reads it: `enabled` (default true) and the validated rest. */
export interface ProviderSection<TConfig> {
  enabled: boolean;
  config: TConfig;
}

/**
 * Splits `enabled` off a raw `sources.<name>` section and validates the rest with the provider's
 * schema (also when disabled: a bad section is an error either way).
 * @throws SourcesError SOURCES_CONFIG_INVALID naming the first bad field.
 */
export function resolveProviderSection<TConfig>(provider: Pick<ProviderDefinition<TConfig>, 'name' | 'configSchema'>, raw: unknown): ProviderSection<TConfig> {
  const { enabled = true, ...section } = (raw ?? {}) as { enabled?: boolean };
  return { enabled, config: resolveSourceConfig(provider, section) };
}
