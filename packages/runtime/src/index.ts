/**
 * `@parley/runtime`: the Parley platform process. It reads one configuration, opens the log,
 * runs the registered topologies as streams applications and serves the HTTP API
 * (`POST /<resource>.<verb>`), the provider webhooks and the OpenAPI document.
 */

// Errors
export { RuntimeError, MethodNotAllowedError, isRuntimeError, RUNTIME_ERROR_CODES } from './errors.js';
export type { RuntimeErrorCode, RuntimeErrorOptions } from './errors.js';

// Runtime
export { createRuntime } from './runtime.js';
export { createPlatform, exampleSources, PLATFORM_SOURCE_NAMES, STANDALONE_PROVIDERS } from './platform.js';
export type { Platform, PlatformOptions } from './platform.js';
export { registerCommunication } from './api/communication/register-communication.js';
export { CommunicationApi } from './api/communication/communication-api.js';
export type { CommunicationApiOptions } from './api/communication/communication-api.js';
export type { Runtime, RuntimeOptions, RuntimeState, ServiceDefinition, UpgradeContext, UpgradeDefinition } from './runtime.js';
export type { RunningApp, RuntimeServices } from './runtime-services.js';
export { DataDir } from './data-dir.js';
export { registerReprocess } from './reprocess/register-reprocess.js';
export type { ReprocessOptions } from './reprocess/register-reprocess.js';
export type { TopologyModuleLoader } from './reprocess/topology-module.js';
export { RUNTIME_VERSION } from './version.js';

// Configuration
export { loadConfig, resolveConfig, DEFAULT_CONFIG_FILE } from './config/load-config.js';
export type { LoadConfigOptions, ResolveConfigOptions } from './config/load-config.js';
export { configSchema } from './config/config-schema.js';
export type { RuntimeConfig, RuntimeConfigInput, SourceConfig } from './config/config-schema.js';
export { ENV_OVERRIDES } from './config/env-overrides.js';
export { redact, isSecretKey, SecretSet, REDACTED } from './config/redact.js';

// Logging
export { createLogger, LOG_LEVELS } from './logger.js';
export type { Logger, LoggerOptions, LogFields, LogLevel } from './logger.js';

// Auth
export { createAuthenticator } from './auth/authenticator.js';
export type { Authenticator, AuthenticatorOptions, RequestHeaders } from './auth/authenticator.js';
export { signJwt, verifyJwt, generateJwtSecret } from './auth/jwt.js';
export type { SignJwtOptions } from './auth/jwt.js';
export { generateSystemToken } from './auth/auth-secrets.js';
export type { SystemTokenOrigin } from './auth/auth-secrets.js';
export type { Principal } from './auth/principal.js';
export type { SessionCheck } from './auth/authenticator.js';
export { hashPassword, verifyPassword } from './auth/password-hash.js';
export { SESSION_COOKIE } from './auth/session-cookie.js';
export { USER_ROLES } from './auth/users/user-records.js';
export type { UserRole, UserView } from './auth/users/user-records.js';

// HTTP contract (framework-free)
export { defineRoute } from './http/route-definition.js';
export type { AnyRouteDefinition, HandlerContext, RouteDefinition, RouteResult } from './http/route-definition.js';
export { RouterTable } from './http/router-table.js';
export { httpStatusForCode, toErrorResponse } from './http/error-status.js';
export type { ErrorBody, ErrorResponse } from './http/error-status.js';
export {
  paginate,
  encodeCursor,
  decodeCursor,
  paginatedSchema,
  paginationRequestShape,
  paginationDataSchema,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
} from './http/pagination.js';
export type { Page, PageRequest } from './http/pagination.js';
export type { WebhookDefinition, WebhookRequest, WebhookResponse } from './http/webhook-definition.js';
export type { CorsPolicy } from './http/create-http-app.js';
export type { StaticSite } from './http/static-sites.js';
export type { UpgradeHandler } from './http/http-server.js';
export { BUILT_IN_ROUTES } from './api/built-in-routes.js';

// Providers (@parley/sources' ProviderDefinition), hosted through one generic registration
export { registerProvider } from './providers/register-provider.js';

// OpenAPI
export { buildOpenApiDocument } from './openapi/build-openapi-document.js';
export type { OpenApiDocument, OpenApiOptions } from './openapi/build-openapi-document.js';

// Topologies
export { BUILT_IN_TOPOLOGIES } from './topologies/topology-definition.js';
export type { TopologyContext, TopologyDefinition } from './topologies/topology-definition.js';

// Migration from Airy Core (`parley import airy`; docs/migration-from-airy.md)
export * as airyImport from './import/airy/index.js';
