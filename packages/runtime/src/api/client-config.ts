import { z } from 'zod';
import { TAG_COLORS } from '@parley/communication';
import type { Principal } from '@parley/sources';
import { defineRoute } from '../http/route-definition.js';
import { RUNTIME_VERSION } from '../version.js';

const serviceSchema = z.strictObject({
  enabled: z.boolean(),
  healthy: z.boolean().describe('Its streams application is running (not restoring, failed or closed)'),
  component: z.string().describe('The topology it is'),
});

const responseSchema = z.strictObject({
  version: z.string().describe('Version of @parley/runtime'),
  sources: z.record(z.string(), z.strictObject({ enabled: z.boolean() })).describe('Configured providers; never their secrets'),
  features: z.strictObject({
    auth: z.boolean().describe('Whether requests need a token'),
    log_backend: z.enum(['embedded', 'kafka']),
    webhooks: z.array(z.string()).describe('Providers with a webhook endpoint at /webhooks/<provider>'),
  }),
  topologies: z.array(z.string()).describe('Streams applications this runtime runs'),
  services: z.record(z.string(), serviceSchema).describe("Airy's field: each streams application of this runtime and its health, by topology name"),
  user_profile: z
    .strictObject({ id: z.string(), kind: z.enum(['system', 'user', 'anonymous', 'scoped']), name: z.string().nullable(), avatar_url: z.string().nullable() })
    .describe("Airy's field: who asked (name and avatar_url from a user token's `name` and `picture` claims)"),
  tag_config: z.strictObject({ colors: z.array(z.enum(TAG_COLORS)) }).describe("Airy's field: the colors a tag may have"),
  cluster_version: z.string().describe("Airy's field: the same as `version`"),
});

const claim = (principal: Principal, name: string): string | null => {
  const value = principal.kind === 'user' ? principal.claims[name] : undefined;
  return typeof value === 'string' && value.length > 0 ? value : null;
};

/** `client.config`: what a client (UI, CLI) needs to know about this runtime, with Airy's fields too. Secrets never appear. */
export const clientConfigRoute = defineRoute({
  name: 'client.config',
  summary: 'What this runtime offers: version, sources, features, services and their health',
  request: z.object({}),
  response: responseSchema,
  example: {},
  handler: ({ runtime, principal }) => ({
    version: RUNTIME_VERSION,
    // Only `enabled` is copied: the rest of a source's section is its settings and secrets.
    sources: Object.fromEntries(Object.entries(runtime.config.sources).map(([name, source]) => [name, { enabled: source.enabled }])),
    features: { auth: runtime.config.auth.enabled, log_backend: runtime.config.log.backend, webhooks: [...runtime.webhookProviders] },
    topologies: [...runtime.apps.keys()],
    services: Object.fromEntries([...runtime.apps.entries()].map(([name, { app }]) => [name, { enabled: true, healthy: app.state === 'running', component: name }])),
    user_profile: { id: principal.id, kind: principal.kind, name: claim(principal, 'name'), avatar_url: claim(principal, 'picture') },
    tag_config: { colors: [...TAG_COLORS] },
    cluster_version: RUNTIME_VERSION,
  }),
});
