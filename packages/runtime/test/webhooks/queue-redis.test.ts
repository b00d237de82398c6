import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisDeliveryQueue } from '../../src/webhooks/queue/redis/redis-delivery-queue.js';
import { deliveryQueueConformance } from './queue-conformance.js';
import { describeIfRedis, redisUrl } from './redis-test-helpers.js';

describeIfRedis('Delivery queue conformance > Redis', () => {
  deliveryQueueConformance(async () => {
    // A fresh key prefix isolates each fixture on the shared test Redis.
    const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
    return {
      queue: () => new RedisDeliveryQueue({ url: redisUrl(), keyPrefix, consumer: 'c1' }),
      async dispose() {
        const redis = new Redis(redisUrl());
        await redis.del(`${keyPrefix}jobs`, `${keyPrefix}state`);
        redis.disconnect();
      },
    };
  });
});
