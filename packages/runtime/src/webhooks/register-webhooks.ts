/**
 * Registers the outbound webhooks on a runtime (before `start()`): the `webhooks.*` routes and
 * the background service (publisher, delivery queue, delivery worker). Disabled with
 * `webhooks.enabled: false`. See docs/webhooks.md.
 */
import { RuntimeError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { webhookRoutes } from './webhook-routes.js';
import { WebhooksService } from './webhooks-service.js';

export interface RegisterWebhooksOptions {
  /** The communication app's id (its conversations changelog feeds `conversation.updated`). Default `communication`. */
  communicationAppId?: string;
}

export interface WebhooksHandle {
  /** The running service; undefined before start and after stop. */
  service(): WebhooksService | undefined;
}

export function registerWebhooks(runtime: Runtime, options: RegisterWebhooksOptions = {}): WebhooksHandle {
  let service: WebhooksService | undefined;
  const handle: WebhooksHandle = { service: () => service };
  if (!runtime.config.webhooks.enabled) return handle;
  const running = (): WebhooksService => {
    if (service === undefined) throw new RuntimeError('RUNTIME_NOT_READY', 'the webhooks are not running');
    return service;
  };
  for (const route of webhookRoutes(running)) runtime.registerRoute(route);
  runtime.registerService({
    name: 'webhooks',
    async start({ log, logger, config, metrics }) {
      const started = new WebhooksService({
        log,
        logger,
        config,
        communicationAppId: options.communicationAppId ?? 'communication',
        onAttempt: (outcome) => metrics.observeWebhookAttempt(outcome),
      });
      try {
        await started.start();
      } catch (err) {
        await started.stop();
        throw err;
      }
      service = started;
    },
    async stop() {
      const stopping = service;
      service = undefined;
      await stopping?.stop();
    },
  });
  return handle;
}
