import type { BenchSuite } from '../lib/types.js';
import { ceilingClassicLevel } from './ceiling-classic-level.js';
import { kafka } from './kafka.js';
import { logEmbedded } from './log-embedded.js';
import { runtimeEmbedded, runtimeFsync } from './runtime-embedded.js';
import { runtimeMemory } from './runtime-memory.js';
import { storeLevelDb } from './store-leveldb.js';
import { streamsDriver } from './streams-driver.js';
import { streamsEmbedded } from './streams-embedded.js';
import { uiInbox } from './ui-inbox.js';
import { webhooks } from './webhooks.js';

/** Every suite `npm run bench` runs, in order. */
export const suites: BenchSuite[] = [logEmbedded, storeLevelDb, ceilingClassicLevel, streamsEmbedded, streamsDriver, runtimeEmbedded, runtimeFsync, runtimeMemory, webhooks, uiInbox, kafka];
