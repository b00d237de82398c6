/** `@parley/streams/embedded`: the default, in-process Log backend. */
export { EmbeddedLog } from './log/embedded/embedded-log.js';
export type { EmbeddedLogOptions } from './log/embedded/embedded-log.js';
export type { SegmentFs } from './log/embedded/segment-fs.js';
export type { SegmentCorruption } from './log/embedded/segment.js';
