import type { Log } from '@parley/streams';
import type { DeliveryQueue } from './delivery-queue.js';
import { LogDeliveryQueue } from './embedded/log-delivery-queue.js';
import type { Logger } from '../../logger.js';
import type { WebhooksConfig } from '../webhooks-config.js';

/**
 * The configured delivery queue, opened. Redis is imported on demand, so a runtime on the
 * embedded queue never loads ioredis.
 */
export async function openDeliveryQueue(config: WebhooksConfig, log: Log, logger: Logger): Promise<DeliveryQueue> {
  let queue: DeliveryQueue;
  if (config.queue.backend === 'redis') {
    const { RedisDeliveryQueue } = await import('./redis/redis-delivery-queue.js');
    queue = new RedisDeliveryQueue({ url: config.queue.url!, keyPrefix: config.queue.keyPrefix, consumer: config.queue.consumer, onConnectionError: (err) => logger.warn('webhooks.redis.connection_error', { err }) });
  } else {
    queue = new LogDeliveryQueue({ log });
  }
  await queue.open();
  return queue;
}
