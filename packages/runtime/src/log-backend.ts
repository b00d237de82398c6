import type { Log, SegmentFs } from '@parley/streams';
import type { RuntimeConfig } from './config/config-schema.js';
import type { DataDir } from './data-dir.js';

/**
 * Opens the configured log. The backends are imported on demand, so a runtime on the embedded
 * log never loads kafkajs.
 */
export async function openLog(config: RuntimeConfig, dataDir: DataDir, embeddedFs?: SegmentFs): Promise<Log> {
  let log: Log;
  if (config.log.backend === 'kafka') {
    const { KafkaLog } = await import('@parley/streams/kafka');
    const { brokers = [], clientId, namespace, sessionTimeoutMs, heartbeatIntervalMs } = config.log;
    const optional = { clientId, namespace, sessionTimeoutMs, heartbeatIntervalMs };
    // Only the fields given: KafkaLog applies its own defaults to the others.
    const given = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
    log = new KafkaLog({ brokers, ...given });
  } else {
    const { EmbeddedLog } = await import('@parley/streams/embedded');
    // Acknowledged means on the disk, not only in the page cache, unless turned off.
    log = new EmbeddedLog({ dir: dataDir.logDir, fsync: config.log.fsync ?? true, fs: embeddedFs });
  }
  await log.open();
  return log;
}
