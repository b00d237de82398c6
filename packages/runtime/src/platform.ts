import { CHATPLUGIN_SOURCE, chatPluginProvider, customProvider, facebookProvider, googleProvider, instagramProvider, telegramProvider, twilioSmsProvider, twilioWhatsAppProvider, viberProvider, whatsappProvider, type AnyProviderDefinition } from '@parley/sources';
import { registerCommunication } from './api/communication/register-communication.js';
import type { CommunicationApiOptions } from './api/communication/communication-api.js';
import type { RuntimeConfig, RuntimeConfigInput } from './config/config-schema.js';
import { RuntimeError } from './errors.js';
import { registerProvider } from './providers/register-provider.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
import { registerWebhooks } from './webhooks/register-webhooks.js';
import { registerRealtime } from './realtime/register-realtime.js';
import { registerUi } from './ui/register-ui.js';
import { registerUsers } from './auth/users/register-users.js';
import type { UiAssets } from '@parley/ui';

/** Options of createPlatform: the runtime's, plus the communication endpoints'. */
export interface PlatformOptions extends RuntimeOptions {
  /** Read-your-writes bound, conversation wait, application id of the communication model. */
  communication?: CommunicationApiOptions;
  /** Where the inbox and widget assets are (default: the installed @parley/ui's build). */
  ui?: UiAssets;
}

/** The providers the platform hosts (by name): a `sources.<name>` section naming any other is a configuration error. */
export const PLATFORM_SOURCE_NAMES: readonly string[] = [customProvider.name, CHATPLUGIN_SOURCE, facebookProvider.name, instagramProvider.name, whatsappProvider.name, viberProvider.name, googleProvider.name, twilioSmsProvider.name, twilioWhatsAppProvider.name, telegramProvider.name];

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
 * (`webhooks.*`, publisher and delivery worker), the realtime websocket `/ws.communication`, and the
 * browser parts (the inbox under `/ui/`, the chat widget under `/widget/`) and the inbox's user
 * accounts (`users.*`, `auth.*`).
 * A provider lands by adding it to the list below (docs/adding-a-provider.md).
 */
export function createPlatform(config: RuntimeConfigInput | RuntimeConfig, options: PlatformOptions = {}): Platform {
  const { communication, ui, ...runtimeOptions } = options;
  const runtime = createRuntime(config, runtimeOptions);
  assertHostedSources(runtime.config.sources);
  const communicationApi = registerCommunication(runtime, communication);
  const providers: AnyProviderDefinition[] = [customProvider, chatPluginProvider(communicationApi), facebookProvider, instagramProvider, whatsappProvider, viberProvider, googleProvider, twilioSmsProvider, twilioWhatsAppProvider, telegramProvider];
  for (const provider of providers) registerProvider(runtime, provider);
  registerWebhooks(runtime, { communicationAppId: communicationApi.definition.applicationId });
  registerRealtime(runtime);
  registerUi(runtime, ui);
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
