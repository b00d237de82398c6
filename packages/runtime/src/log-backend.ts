import type { Log } from '@parley/streams';
import type { RuntimeConfig } from './config/config-schema.js';
import type { DataDir } from './data-dir.js';

/**
 * Opens the configured log. The backends are imported on demand, so a runtime on the embedded
 * log never loads kafkajs.
 */
export async function openLog(config: RuntimeConfig, dataDir: DataDir): Promise<Log> {
  let log: Log;
  if (config.log.backend === 'kafka') {
    const { KafkaLog } = await import('@parley/streams/kafka');
    const { brokers = [], clientId, namespace } = config.log;
    log = new KafkaLog({ brokers, ...(clientId === undefined ? {} : { clientId }), ...(namespace === undefined ? {} : { namespace }) });
  } else {
    const { EmbeddedLog } = await import('@parley/streams/embedded');
    log = new EmbeddedLog({ dir: dataDir.logDir });
  }
  await log.open();
  return log;
}
