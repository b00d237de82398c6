/** The `sources.whatsapp` configuration section (the Meta app's secret and verify token, Graph settings). */
import { z } from 'zod';
import { metaAppConfigShape } from '../meta-graph/index.js';

export const whatsappConfigSchema = z.strictObject({ ...metaAppConfigShape });

export type WhatsAppConfig = z.output<typeof whatsappConfigSchema>;
