import { z } from 'zod';
import { USER_ROLES, userView } from '../auth/users/user-records.js';
import type { UsersService } from '../auth/users/users-service.js';
import { defineRoute, type AnyRouteDefinition } from '../http/route-definition.js';

const EXAMPLE_USER = '5f0c2a8e-7d1b-4c3e-9a6f-2b8d4e1f0a7c';

export const userSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(USER_ROLES),
  created_at: z.int().describe('Milliseconds since the epoch'),
  updated_at: z.int().describe('Milliseconds since the epoch'),
});

export const emailField = z.email().max(254).describe('Unique, compared without letter case');
export const passwordField = z.string().min(8).max(1024).describe('At least 8 characters; stored only as an scrypt hash');
export const nameField = z.string().trim().min(1).max(200).describe('Shown as the sender of the messages the user sends');

/** `users.create`, `users.list`, `users.update`, `users.delete`: the system token or an admin user; `users.names`: anyone logged in. */
export function userRoutes(users: () => UsersService): AnyRouteDefinition[] {
  return [
    defineRoute({
      name: 'users.create',
      summary: 'Creates a user account of the inbox (system token or an admin)',
      request: z.object({ email: emailField, name: nameField, password: passwordField, role: z.enum(USER_ROLES).default('agent') }),
      response: userSchema,
      successStatus: 201,
      errors: ['RUNTIME_STATE', 'RUNTIME_NOT_READY'],
      example: { email: 'ada@example.com', name: 'Ada', password: 'correct horse battery', role: 'admin' },
      async handler({ principal }, body) {
        users().requireAdmin(principal, 'users.create');
        return userView(await users().create(body));
      },
    }),
    defineRoute({
      name: 'users.list',
      summary: 'Every user account, by email (system token or an admin)',
      request: z.object({}),
      response: z.strictObject({ data: z.array(userSchema) }),
      errors: ['RUNTIME_NOT_READY'],
      example: {},
      handler({ principal }) {
        users().requireAdmin(principal, 'users.list');
        return { data: users().directory.users().map(userView) };
      },
    }),
    defineRoute({
      name: 'users.names',
      summary: "Every user's id and name, for any logged-in caller (the inbox shows agents' names on their messages)",
      request: z.object({}),
      response: z.strictObject({ data: z.array(z.strictObject({ id: z.string(), name: z.string() })) }),
      errors: ['RUNTIME_NOT_READY'],
      example: {},
      handler: () => ({ data: users().directory.users().map((u) => ({ id: u.id, name: u.name })) }),
    }),
    defineRoute({
      name: 'users.update',
      summary: "Changes a user's email, name, role or password (system token or an admin)",
      description: 'Omitted fields stay. The last admin cannot be demoted (409).',
      request: z.object({ id: z.string().min(1).max(200), email: emailField.optional(), name: nameField.optional(), password: passwordField.optional(), role: z.enum(USER_ROLES).optional() }),
      response: userSchema,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_STATE', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_USER, name: 'Ada Lovelace' },
      async handler({ principal }, { id, ...changes }) {
        users().requireAdmin(principal, 'users.update');
        return userView(await users().update(id, changes));
      },
    }),
    defineRoute({
      name: 'users.delete',
      summary: 'Deletes a user account and ends its sessions (system token or an admin)',
      description: 'The last admin cannot be deleted (409).',
      request: z.object({ id: z.string().min(1).max(200) }),
      response: null,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_STATE', 'RUNTIME_NOT_READY'],
      example: { id: EXAMPLE_USER },
      async handler({ principal }, body) {
        users().requireAdmin(principal, 'users.delete');
        await users().delete(body.id);
      },
    }),
  ];
}
