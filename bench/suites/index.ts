import type { BenchSuite } from '../lib/types.js';
import { airyImportBench } from './airy-import.js';
import { ceilingClassicLevel } from './ceiling-classic-level.js';
import { kafka } from './kafka.js';
import { logEmbedded } from './log-embedded.js';
import { reprocessEmbedded } from './reprocess-embedded.js';
import { runtimeEmbedded, runtimeFsync } from './runtime-embedded.js';
import { runtimeKafkaScale } from './runtime-kafka-scale.js';
import { runtimeMemory } from './runtime-memory.js';
import { storeLevelDb } from './store-leveldb.js';
import { streamsDriver } from './streams-driver.js';
import { streamsEmbedded } from './streams-embedded.js';
import { uiBundleSizes } from './ui-bundle-sizes.js';
import { uiInbox } from './ui-inbox.js';
import { webhooks } from './webhooks.js';

/** Every suite `npm run bench` runs, in order. */
export const suites: BenchSuite[] = [logEmbedded, storeLevelDb, ceilingClassicLevel, streamsEmbedded, streamsDriver, runtimeEmbedded, runtimeFsync, runtimeMemory, webhooks, reprocessEmbedded, uiBundleSizes, uiInbox, kafka, airyImportBench, runtimeKafkaScale];
