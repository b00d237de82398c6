import { EmbeddedLog } from '@parley/streams/embedded';
import { LogDeliveryQueue } from '../../src/webhooks/queue/embedded/log-delivery-queue.js';
import { tempDir } from '../helpers.js';
import { deliveryQueueConformance } from './queue-conformance.js';

describe('Delivery queue conformance > embedded log', () => {
  deliveryQueueConformance(async () => {
    // One log for the fixture; each queue object is a new process's view of it.
    const log = new EmbeddedLog({ dir: tempDir('queue') });
    await log.open();
    return { queue: () => new LogDeliveryQueue({ log }), dispose: () => log.close() };
  });
});
