import { z } from 'zod';
import { RuntimeError } from '../errors.js';
import { userView } from '../auth/users/user-records.js';
import type { Login, UsersService } from '../auth/users/users-service.js';
import { defineRoute, type AnyRouteDefinition, type HandlerContext } from '../http/route-definition.js';
import { emailField, nameField, passwordField, userSchema } from './users-routes.js';

/** Lifetime of the token `auth.socket-token` mints: enough to open the websocket, nothing more. */
const SOCKET_TOKEN_SECONDS = 60;

const loginResponse = z.strictObject({
  token: z.string().describe('The session JWT (also set as the `parley_session` cookie): send it as a bearer token from scripts'),
  expires_at: z.int().describe('Seconds since the epoch'),
  user: userSchema,
});

/** Signs the session's JWT, sets the cookie, and answers with both. */
async function startSession(ctx: HandlerContext, login: Login): Promise<z.input<typeof loginResponse>> {
  const expiresAt = Math.floor(login.session.expires_at / 1000);
  const issuedAt = Math.floor(Date.now() / 1000);
  const token = await ctx.runtime.signToken({ subject: login.user.id, issuedAt, expiresInSeconds: expiresAt - issuedAt, claims: { sid: login.session.id, name: login.user.name } });
  ctx.session?.set(token, expiresAt - issuedAt);
  return { token, expires_at: expiresAt, user: userView(login.user) };
}

function sessionIdOf(ctx: HandlerContext): string | undefined {
  return ctx.principal.kind === 'user' && typeof ctx.principal.claims.sid === 'string' ? ctx.principal.claims.sid : undefined;
}

/** `auth.login`, `auth.logout`, `auth.session`, `auth.socket-token`, `auth.setup`: the inbox's login. */
export function authRoutes(users: () => UsersService): AnyRouteDefinition[] {
  return [
    defineRoute({
      name: 'auth.login',
      summary: 'Logs a user in: a session JWT in the body and the `parley_session` cookie',
      description:
        'The cookie is HttpOnly, SameSite=Strict, Path=/, and Secure over https. A request authenticated by the cookie alone must be `Content-Type: application/json` (CSRF). An unknown email and a wrong password get the same 401 RUNTIME_LOGIN_FAILED after the same work.',
      auth: false,
      request: z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) }),
      response: loginResponse,
      errors: ['RUNTIME_LOGIN_FAILED', 'RUNTIME_STATE', 'RUNTIME_NOT_READY'],
      example: { email: 'ada@example.com', password: 'correct horse battery' },
      async handler(ctx, body) {
        return startSession(ctx, await users().login(body.email, body.password));
      },
    }),
    defineRoute({
      name: 'auth.setup',
      summary: 'Creates the first admin with the one-time setup token printed at start, and logs them in',
      description: 'Works once, while no user exists (the token is printed by `parley start` as a `/ui/setup?token=…` link).',
      auth: false,
      request: z.object({ token: z.string().min(1).max(200), email: emailField, name: nameField, password: passwordField }),
      response: loginResponse,
      successStatus: 201,
      errors: ['RUNTIME_LOGIN_FAILED', 'RUNTIME_STATE', 'RUNTIME_NOT_READY'],
      example: { token: 'the-token-printed-at-start', email: 'ada@example.com', name: 'Ada', password: 'correct horse battery' },
      async handler(ctx, { token, ...input }) {
        return startSession(ctx, await users().setup(token, input));
      },
    }),
    defineRoute({
      name: 'auth.logout',
      summary: 'Ends the login session (server-side too) and clears its cookie',
      request: z.object({}),
      response: null,
      errors: ['RUNTIME_NOT_READY'],
      example: {},
      async handler(ctx) {
        const sid = sessionIdOf(ctx);
        if (sid !== undefined) await users().logout(sid);
        ctx.session?.clear();
      },
    }),
    defineRoute({
      name: 'auth.session',
      summary: 'Who the caller is: the logged-in user (null for the system token), and when the session ends',
      request: z.object({}),
      response: z.strictObject({
        principal: z.strictObject({ kind: z.string(), id: z.string() }),
        user: userSchema.nullable(),
        expires_at: z.int().nullable().describe('Seconds since the epoch; null: no expiry'),
      }),
      errors: ['RUNTIME_NOT_READY'],
      example: {},
      handler(ctx) {
        const { principal } = ctx;
        const user = principal.kind === 'user' ? users().directory.user(principal.id) : undefined;
        const exp = principal.kind === 'user' && typeof principal.claims.exp === 'number' ? principal.claims.exp : null;
        return { principal: { kind: principal.kind, id: principal.id }, user: user === undefined ? null : userView(user), expires_at: exp };
      },
    }),
    defineRoute({
      name: 'auth.socket-token',
      summary: "A 60-second token for the realtime websocket's authenticate frame (the session cookie is HttpOnly)",
      request: z.object({}),
      response: z.strictObject({ token: z.string(), expires_at: z.int().describe('Seconds since the epoch') }),
      errors: ['RUNTIME_STATE'],
      example: {},
      async handler(ctx) {
        const { principal } = ctx;
        if (principal.kind !== 'user') throw new RuntimeError('RUNTIME_STATE', 'auth.socket-token is for logged-in users: the system token opens the websocket itself');
        const issuedAt = Math.floor(Date.now() / 1000);
        const sid = sessionIdOf(ctx);
        const token = await ctx.runtime.signToken({ subject: principal.id, issuedAt, expiresInSeconds: SOCKET_TOKEN_SECONDS, ...(sid === undefined ? {} : { claims: { sid } }) });
        return { token, expires_at: issuedAt + SOCKET_TOKEN_SECONDS };
      },
    }),
  ];
}
