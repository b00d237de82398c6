import { logConformance } from '../../src/testing/log-conformance.js';
import { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import { tempDir } from '../helpers/temp-dir.js';

const dirs = new WeakMap<object, string>();

logConformance({
  name: 'EmbeddedLog',
  factory: async () => {
    const dir = tempDir('embedded-log');
    const log = new EmbeddedLog({ dir, maintenanceIntervalMs: 0, segmentBytes: 4096 });
    dirs.set(log, dir);
    await log.open();
    return log;
  },
  reopen: async (log) => {
    await log.close();
    const reopened = new EmbeddedLog({ dir: dirs.get(log)!, maintenanceIntervalMs: 0, segmentBytes: 4096 });
    dirs.set(reopened, dirs.get(log)!);
    await reopened.open();
    return reopened;
  },
  compact: async (log, topic) => {
    const embedded = log as EmbeddedLog;
    embedded.roll(topic);
    embedded.maintain(topic);
  },
});
