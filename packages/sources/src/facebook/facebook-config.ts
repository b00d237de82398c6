/** The `sources.facebook` configuration section. */
import { z } from 'zod';
import { metaAppConfigShape } from '../meta-graph/index.js';

export const facebookConfigSchema = z.strictObject({
  /** The Meta app's id: echoes of messages this app sent carry it and are dropped (the connector already stored them). */
  appId: z.string().regex(/^\d{1,32}$/, 'a Meta app id is digits'),
  ...metaAppConfigShape,
});

export type FacebookConfig = z.output<typeof facebookConfigSchema>;
