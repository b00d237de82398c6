import { z } from 'zod';
import { defineRoute } from '../http/route-definition.js';
import { RUNTIME_VERSION } from '../version.js';

const responseSchema = z.strictObject({
  version: z.string().describe('Version of @parley/runtime'),
  sources: z.record(z.string(), z.strictObject({ enabled: z.boolean() })).describe('Configured providers; never their secrets'),
  features: z.strictObject({
    auth: z.boolean().describe('Whether requests need a token'),
    log_backend: z.enum(['embedded', 'kafka']),
    webhooks: z.array(z.string()).describe('Providers with a webhook endpoint at /webhooks/<provider>'),
  }),
  topologies: z.array(z.string()).describe('Streams applications this runtime runs'),
});

/** `client.config`: what a client (UI, CLI) needs to know about this runtime. Secrets never appear. */
export const clientConfigRoute = defineRoute({
  name: 'client.config',
  summary: 'What this runtime offers: version, sources, features',
  request: z.object({}),
  response: responseSchema,
  example: {},
  handler: ({ runtime }) => ({
    version: RUNTIME_VERSION,
    // Only `enabled` is copied: the rest of a source's section is its settings and secrets.
    sources: Object.fromEntries(Object.entries(runtime.config.sources).map(([name, source]) => [name, { enabled: source.enabled }])),
    features: { auth: runtime.config.auth.enabled, log_backend: runtime.config.log.backend, webhooks: [...runtime.webhookProviders] },
    topologies: [...runtime.apps.keys()],
  }),
});
