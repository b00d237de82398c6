import { CHATPLUGIN_SOURCE, chatPluginProvider, customProvider, facebookProvider, googleProvider, instagramProvider, telegramProvider, twilioSmsProvider, twilioWhatsAppProvider, viberProvider, whatsappProvider, type AnyProviderDefinition } from '@parley/sources';
import { registerCommunication } from './api/communication/register-communication.js';
import type { CommunicationApiOptions } from './api/communication/communication-api.js';
import type { RuntimeConfig, RuntimeConfigInput } from './config/config-schema.js';
import { RuntimeError } from './errors.js';
import { registerProvider } from './providers/register-provider.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
import { registerMedia } from './media/register-media.js';
import { registerWebhooks } from './webhooks/register-webhooks.js';
import { registerRealtime } from './realtime/register-realtime.js';
import { registerUi } from './ui/register-ui.js';
import { registerReprocess, type ReprocessOptions } from './reprocess/register-reprocess.js';
import { registerUsers } from './auth/users/register-users.js';
import type { UiAssets } from '@parley/ui';

/** Options of createPlatform: the runtime's, plus the communication endpoints'. */
export interface PlatformOptions extends RuntimeOptions {
  /** Read-your-writes bound, conversation wait, application id of the communication model. */
  communication?: CommunicationApiOptions;
  /** Where the inbox and widget assets are (default: the installed @parley/ui's build). */
  ui?: UiAssets;
  /** How `reprocess.start` loads a fixed topology module. */
  reprocess?: ReprocessOptions;
}

/**
 * The providers the platform hosts, besides the website chat plugin (built in createPlatform on
 * the communication API). A provider lands by being added here (docs/adding-a-provider.md).
 */
export const STANDALONE_PROVIDERS: readonly AnyProviderDefinition[] = [customProvider, facebookProvider, instagramProvider, whatsappProvider, viberProvider, googleProvider, twilioSmsProvider, twilioWhatsAppProvider, telegramProvider];

/**
 * A `sources` section turning on every provider that is off until configured, with the
 * placeholder credentials of its `exampleConfig`: docs/api.md is generated from a platform so
 * configured, so every provider's routes are in the reference.
 */
export function exampleSources(): Record<string, Readonly<Record<string, unknown>>> {
  return Object.fromEntries(STANDALONE_PROVIDERS.flatMap((p) => (p.exampleConfig === undefined ? [] : [[p.name, p.exampleConfig]])));
}

/** The providers the platform hosts (by name): a `sources.<name>` section naming any other is a configuration error. */
export const PLATFORM_SOURCE_NAMES: readonly string[] = [CHATPLUGIN_SOURCE, ...STANDALONE_PROVIDERS.map((p) => p.name)];

/** The runtime createPlatform makes, with what `parley start` prints about the inbox. */
export interface Platform extends Runtime {
  /** The inbox's one-time link to create the first admin, while no user exists (auth on); else undefined. */
  firstAdminSetupUrl(): string | undefined;
}

/**
 * The whole platform as `parley start` runs it: the runtime with everything Parley ships
 * registered on it — the communication model (topology, read model, Core API endpoints) and
 * every provider of `@parley/sources` through the one generic registration (`registerProvider`):
 * custom sources (the Source API) and the website chat plugin — plus the outbound webhooks
 * (`webhooks.*`, publisher and delivery worker), the realtime websocket `/ws.communication`, the
 * browser parts (the inbox under `/ui/`, the chat widget under `/widget/`) with the inbox's user
 * accounts (`users.*`, `auth.*`), media uploads (`media.upload`, served back at signed
 * `/media/<name>` URLs), and side-by-side reprocessing (`reprocess.*`, docs/reprocessing.md).
 * A provider lands by adding it to STANDALONE_PROVIDERS (docs/adding-a-provider.md).
 */
export function createPlatform(config: RuntimeConfigInput | RuntimeConfig, options: PlatformOptions = {}): Platform {
  const { communication, ui, reprocess, ...runtimeOptions } = options;
  const runtime = createRuntime(config, runtimeOptions);
  assertHostedSources(runtime.config.sources);
  const communicationApi = registerCommunication(runtime, communication);
  const providers: AnyProviderDefinition[] = [chatPluginProvider(communicationApi), ...STANDALONE_PROVIDERS];
  for (const provider of providers) {
    if (registerProvider(runtime, provider)) for (const source of provider.refetchesContacts ?? []) communicationApi.contactRefetchSources.add(source);
  }
  registerWebhooks(runtime, { communicationAppId: communicationApi.definition.applicationId });
  registerRealtime(runtime);
  registerUi(runtime, ui);
  registerReprocess(runtime, reprocess);
  registerMedia(runtime);
  const users = registerUsers(runtime);
  return Object.assign(runtime, { firstAdminSetupUrl: () => users.setupUrl() });
}

/**
 * RUNTIME_CONFIG_INVALID (field `sources.<name>`) for a section naming no hosted provider: a
 * provider that does not exist must not be reported enabled by `client.config` while nothing runs.
 */
function assertHostedSources(sources: RuntimeConfig['sources']): void {
  for (const name of Object.keys(sources)) {
    if (!PLATFORM_SOURCE_NAMES.includes(name)) {
      throw new RuntimeError('RUNTIME_CONFIG_INVALID', `sources.${name}: there is no provider ${name}; the providers are ${PLATFORM_SOURCE_NAMES.join(', ')}`, { field: `sources.${name}` });
    }
  }
}
