import type { BenchSuite } from '../lib/types.js';
import { ceilingClassicLevel } from './ceiling-classic-level.js';
import { logEmbedded } from './log-embedded.js';

/** Every suite `npm run bench` runs, in order. */
export const suites: BenchSuite[] = [logEmbedded, ceilingClassicLevel];
