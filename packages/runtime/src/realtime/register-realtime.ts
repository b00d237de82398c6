/**
 * Serves `GET /ws.communication` (communication-socket-hub.ts): the events the webhooks'
 * publisher writes to `webhooks.events`, live and resumable. Registered with the webhooks (the
 * publisher feeds both); not served when `webhooks.enabled` is false.
 */
import type { Runtime } from '../runtime.js';
import { CommunicationSocketHub } from './communication-socket-hub.js';
import { EventsFollower } from './events-follower.js';

export const COMMUNICATION_SOCKET_PATH = '/ws.communication';

export interface RegisterRealtimeOptions {
  /** Ping interval, ms. Default 30000. */
  heartbeatMs?: number;
  /** Time for the authenticate frame, ms. Default 5000. */
  authTimeoutMs?: number;
}

export function registerRealtime(runtime: Runtime, options: RegisterRealtimeOptions = {}): { hub(): CommunicationSocketHub | undefined } {
  let hub: CommunicationSocketHub | undefined;
  let follower: EventsFollower | undefined;
  if (!runtime.config.webhooks.enabled) return { hub: () => hub };
  runtime.registerUpgrade({
    path: COMMUNICATION_SOCKET_PATH,
    async start({ log, logger }) {
      const started = new CommunicationSocketHub({
        log,
        authenticate: (headers) => runtime.authenticate(headers),
        heartbeatMs: options.heartbeatMs ?? 30_000,
        authTimeoutMs: options.authTimeoutMs ?? 5000,
        logger,
      });
      follower = new EventsFollower({ log, logger });
      await follower.start((events) => started.publish(events));
      hub = started;
    },
    handle: (request, socket, head) => {
      if (hub === undefined) return void socket.destroy();
      hub.handleUpgrade(request, socket, head);
    },
    async stop() {
      await hub?.close();
      await follower?.stop();
      hub = undefined;
      follower = undefined;
    },
  });
  return { hub: () => hub };
}
