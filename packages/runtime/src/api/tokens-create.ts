import { z } from 'zod';
import { defineRoute } from '../http/route-definition.js';
import { requireSystem } from './topics/topic-routes.js';

/** `tokens.create`: mints a user JWT signed with the runtime's secret (system token only), for `parley token`. */
export const tokensCreateRoute = defineRoute({
  name: 'tokens.create',
  summary: 'Mint a user JWT (system token only)',
  request: z.object({
    subject: z.string().min(1).max(200).describe('The `sub` claim: the user the token speaks for'),
    expires_in_seconds: z.int().min(1).max(10 * 365 * 24 * 3600).optional().describe('Lifetime; omitted: the token never expires'),
  }),
  response: z.strictObject({ token: z.string(), subject: z.string(), expires_at: z.int().nullable().describe('Seconds since the epoch, null: never') }),
  errors: ['RUNTIME_STATE'],
  example: { subject: 'ada', expires_in_seconds: 3600 },
  async handler({ runtime, principal }, body) {
    requireSystem(principal, 'tokens.create');
    const issuedAt = Math.floor(Date.now() / 1000);
    const token = await runtime.signToken({ subject: body.subject, issuedAt, ...(body.expires_in_seconds === undefined ? {} : { expiresInSeconds: body.expires_in_seconds }) });
    return { token, subject: body.subject, expires_at: body.expires_in_seconds === undefined ? null : issuedAt + body.expires_in_seconds };
  },
});
