/**
 * Registers the user accounts on a runtime (before `start()`): the `users.*` and `auth.*` routes,
 * the users service (started with the runtime), and its check of login session tokens.
 */
import { authRoutes } from '../../api/auth-routes.js';
import { userRoutes } from '../../api/users-routes.js';
import { RuntimeError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';
import { UsersService } from './users-service.js';

export interface UsersHandle {
  /** The running service; undefined before start and after stop. */
  service(): UsersService | undefined;
  /** `<url>/ui/setup?token=…` while no user exists (first start), else undefined. */
  setupUrl(): string | undefined;
}

export function registerUsers(runtime: Runtime): UsersHandle {
  let service: UsersService | undefined;
  const running = (): UsersService => {
    if (service === undefined) throw new RuntimeError('RUNTIME_NOT_READY', 'the user accounts are not loaded');
    return service;
  };
  for (const route of [...userRoutes(running), ...authRoutes(running)]) runtime.registerRoute(route);
  runtime.registerService({
    name: 'users',
    async start({ log, logger, config }) {
      const started = new UsersService({ log, logger, sessionTtlSeconds: config.auth.sessionTtlSeconds });
      await started.start();
      service = started;
      runtime.setSessionCheck((sid, userId, issuedAt) => running().checkSession(sid, userId, issuedAt));
    },
    async stop() {
      const stopping = service;
      service = undefined;
      await stopping?.stop();
    },
  });
  return {
    service: () => service,
    setupUrl() {
      const token = service?.setupToken;
      return token === undefined || !runtime.config.auth.enabled ? undefined : `${runtime.url}/ui/setup?token=${token}`;
    },
  };
}
