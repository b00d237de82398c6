/** `@parley/streams/embedded`: the default, in-process Log backend. */
export { EmbeddedLog } from './log/embedded/embedded-log.js';
export type { EmbeddedLogOptions } from './log/embedded/embedded-log.js';
