import { registerCommunication } from './api/communication/register-communication.js';
import type { CommunicationApiOptions } from './api/communication/communication-api.js';
import type { RuntimeConfig, RuntimeConfigInput } from './config/config-schema.js';
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
import { registerCustomSource } from './sources/register-custom-source.js';
import { registerChatPlugin } from './chatplugin/register-chatplugin.js';
import { registerWebhooks } from './webhooks/register-webhooks.js';
import { registerRealtime } from './realtime/register-realtime.js';

/** Options of createPlatform: the runtime's, plus the communication endpoints'. */
export interface PlatformOptions extends RuntimeOptions {
  /** Read-your-writes bound, conversation wait, application id of the communication model. */
  communication?: CommunicationApiOptions;
}

/**
 * The whole platform as `parley start` runs it: the runtime with everything Parley ships
 * registered on it — the communication model (topology, read model, Core API endpoints) and the
 * Source API (custom sources: management routes, the token-checked webhook, and their router and
 * connector topologies), and the website chat plugin (visitor routes, channel routes, the
 * `/ws.chatplugin` websocket, router and connector), the outbound webhooks (`webhooks.*`, publisher
 * and delivery worker) and the realtime websocket `/ws.communication`. The provider sources
 * register here as they land.
 */
export function createPlatform(config: RuntimeConfigInput | RuntimeConfig, options: PlatformOptions = {}): Runtime {
  const { communication, ...runtimeOptions } = options;
  const runtime = createRuntime(config, runtimeOptions);
  const communicationApi = registerCommunication(runtime, communication);
  registerCustomSource(runtime);
  registerChatPlugin(runtime, { communication: communicationApi });
  registerWebhooks(runtime, { communicationAppId: communicationApi.definition.applicationId });
  registerRealtime(runtime);
  return runtime;
}
