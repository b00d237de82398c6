/** The `sources.instagram` configuration section (the Meta app's secret and verify token, Graph settings). */
import { z } from 'zod';
import { metaAppConfigShape } from '../meta-graph/index.js';

export const instagramConfigSchema = z.strictObject({ ...metaAppConfigShape });

export type InstagramConfig = z.output<typeof instagramConfigSchema>;
