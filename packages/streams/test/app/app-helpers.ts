import { EmbeddedLog } from '../../src/log/embedded/embedded-log.js';
import type { Log, LogRecord } from '../../src/log/types.js';
import type { ProcessorContext } from '../../src/processor/processor-context.js';
import { keyValueStoreBuilder } from '../../src/state/builders/key-value-store-builder.js';
import type { TypedKeyValueStore } from '../../src/state/typed/typed-key-value-store.js';
import { Topology } from '../../src/processor/topology.js';
import { Serdes } from '../../src/serde/serdes.js';
import { tempDir } from '../helpers/temp-dir.js';

export { globalNamesTopology } from '../helpers/global-names-topology.js';

export const str = Serdes.string();
export const int = Serdes.int32();

export async function openEmbeddedLog(dir = tempDir('app-log')): Promise<EmbeddedLog> {
  const log = new EmbeddedLog({ dir, maintenanceIntervalMs: 0 });
  await log.open();
  return log;
}

/** Counts records per key in a store named `counts` and forwards each new count to `output`. */
export function countingTopology(options: { input?: string; output?: string; persistent?: boolean; storeName?: string } = {}): Topology {
  const storeName = options.storeName ?? 'counts';
  return new Topology()
    .addSource({ name: 'source', topics: options.input ?? 'input', keySerde: str, valueSerde: str })
    .addProcessor<string, string, string, number>('count', () => {
      let context!: ProcessorContext<string, number>;
      let store!: TypedKeyValueStore<string, number>;
      return {
        init(c: ProcessorContext<string, number>) {
          context = c;
          store = c.getStateStore(storeName);
        },
        process(record) {
          const count = (store.get(record.key) ?? 0) + 1;
          store.put(record.key, count);
          context.forward({ ...record, value: count });
        },
      };
    }, 'source')
    .addStateStore(keyValueStoreBuilder({ name: storeName, keySerde: str, valueSerde: int, persistent: options.persistent ?? true }), 'count')
    .addSink({ name: 'sink', topic: options.output ?? 'output', keySerde: str, valueSerde: int }, 'count');
}

export async function produce(log: Log, topic: string, entries: Array<[string, string]>, timestamp = 1000): Promise<void> {
  await log.append(topic, entries.map(([k, v], i) => ({ key: Buffer.from(k), value: Buffer.from(v), timestamp: timestamp + i })));
}

export async function readTopic(log: Log, topic: string): Promise<LogRecord[]> {
  const { partitions } = await log.describeTopic(topic);
  const out: LogRecord[] = [];
  for (let partition = 0; partition < partitions; partition++) {
    let offset = await log.beginningOffset({ topic, partition });
    for (;;) {
      const page = await log.read({ topic, partition }, offset, { maxRecords: 5000 });
      if (page.length === 0) break;
      out.push(...page);
      offset = page[page.length - 1]!.offset + 1;
    }
  }
  return out;
}

/** The last count output per key (what a consumer of the output topic ends up believing). */
export function latestCounts(records: LogRecord[]): Map<string, number> {
  const latest = new Map<string, number>();
  for (const r of records.sort((a, b) => a.timestamp - b.timestamp || a.offset - b.offset)) latest.set(r.key!.toString(), r.value!.readInt32BE());
  return latest;
}

export function modelCounts(entries: Array<[string, string]>): Map<string, number> {
  const model = new Map<string, number>();
  for (const [k] of entries) model.set(k, (model.get(k) ?? 0) + 1);
  return model;
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
