/**
 * The runtime's one generic registration of a provider (`@parley/sources`' ProviderDefinition):
 * it reads the provider's `sources.<name>` section, honours `enabled`, validates the rest with
 * the provider's schema, and hands the provider a ProviderHost implemented by this runtime. The
 * runtime knows no provider by name.
 */
import * as path from 'node:path';
import { isSourcesError, resolveProviderSection, type ProviderDefinition, type ProviderHost } from '@parley/sources';
import { generateJwtSecret } from '../auth/jwt.js';
import { readOrCreateSecretFile } from '../auth/secret-file.js';
import { RuntimeError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { lazySourceTopology } from './lazy-source-topology.js';

/** A provider's name: the `sources.<name>` key, `/webhooks/<name>`, `source.<name>.events`. */
const PROVIDER_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Registers `provider` on `runtime` (before `start()`) when its section does not say
 * `enabled: false` (and, for a provider that is off until configured, when it has a section). RUNTIME_CONFIG_INVALID (field `sources.<name>[.<field>]`) for a section the
 * provider refuses. Returns whether it was registered.
 */
export function registerProvider<TConfig>(runtime: Runtime, provider: ProviderDefinition<TConfig>): boolean {
  if (!PROVIDER_NAME.test(provider.name)) throw new TypeError(`invalid provider name ${JSON.stringify(provider.name)}`);
  const prefix = `sources.${provider.name}`;
  const section: unknown = runtime.config.sources[provider.name];
  if (section === undefined && provider.offUntilConfigured === true) return false;
  try {
    const { enabled, config } = resolveProviderSection(provider, section);
    if (!enabled) return false;
    provider.register(hostOf(runtime), config);
    return true;
  } catch (err) {
    if (!isSourcesError(err, 'SOURCES_CONFIG_INVALID')) throw err;
    const field = err.field === undefined ? prefix : `${prefix}.${err.field}`;
    throw new RuntimeError('RUNTIME_CONFIG_INVALID', `${prefix}: ${err.message}`, { field, cause: err });
  }
}

/** The ProviderHost a runtime offers: its own registration hooks, its auth, its data directory's secrets. */
function hostOf(runtime: Runtime): ProviderHost {
  const hostSecrets = [runtime.config.auth.jwtSecret, runtime.config.auth.systemToken].filter((s): s is string => s !== undefined);
  return {
    get log() {
      return runtime.log;
    },
    registerRoute: (route) => runtime.registerRoute(route),
    registerWebhook: (webhook) => runtime.registerWebhook(webhook),
    registerUpgrade: (definition) => runtime.registerUpgrade(definition),
    registerCors: (policy) => runtime.registerCors(policy),
    registerTopology: (topology) => runtime.registerTopology(lazySourceTopology(topology)),
    authenticate: (headers) => runtime.authenticate(headers),
    secret: (name) => {
      if (!PROVIDER_NAME.test(name)) throw new TypeError(`invalid secret name ${JSON.stringify(name)}`);
      return readOrCreateSecretFile(path.join(runtime.dataDir.authDir, name), generateJwtSecret).value;
    },
    isHostSecret: (value) => hostSecrets.includes(value),
  };
}
