import type { BenchSuite } from '../lib/types.js';
import { ceilingClassicLevel } from './ceiling-classic-level.js';
import { logEmbedded } from './log-embedded.js';
import { storeLevelDb } from './store-leveldb.js';

/** Every suite `npm run bench` runs, in order. */
export const suites: BenchSuite[] = [logEmbedded, storeLevelDb, ceilingClassicLevel];
