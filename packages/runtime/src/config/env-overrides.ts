/**
 * Environment variables that override the configuration file (and are overridden by explicit
 * options such as CLI flags). Values are strings; numbers and booleans are converted here so that
 * a bad value reaches the schema as the wrong type and is reported with the variable's name.
 */
interface EnvVar {
  path: readonly string[];
  parse?: (raw: string) => unknown;
}

const toNumber = (raw: string): unknown => (/^\s*\d+\s*$/.test(raw) ? Number(raw) : raw);
const toBoolean = (raw: string): unknown => {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  return raw;
};
const toList = (raw: string): unknown =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** Variable name → configuration path. The README's "Configuration" section lists them. */
export const ENV_OVERRIDES: Readonly<Record<string, EnvVar>> = {
  PARLEY_DATA_DIR: { path: ['dataDir'] },
  PARLEY_HOST: { path: ['http', 'host'] },
  PARLEY_PORT: { path: ['http', 'port'], parse: toNumber },
  PARLEY_LOG_BACKEND: { path: ['log', 'backend'] },
  PARLEY_KAFKA_BROKERS: { path: ['log', 'brokers'], parse: toList },
  PARLEY_KAFKA_NAMESPACE: { path: ['log', 'namespace'] },
  PARLEY_LOG_FSYNC: { path: ['log', 'fsync'], parse: toBoolean },
  PARLEY_AUTH_ENABLED: { path: ['auth', 'enabled'], parse: toBoolean },
  PARLEY_JWT_SECRET: { path: ['auth', 'jwtSecret'] },
  PARLEY_SYSTEM_TOKEN: { path: ['auth', 'systemToken'] },
  PARLEY_METRICS_TOKEN: { path: ['metrics', 'token'] },
  PARLEY_CHATPLUGIN_TOKEN_SECRET: { path: ['sources', 'chatplugin', 'tokenSecret'] },
  PARLEY_WEBHOOKS_QUEUE_URL: { path: ['webhooks', 'queue', 'url'] },
  PARLEY_MEDIA_STORE: { path: ['media', 'store'] },
  PARLEY_MEDIA_S3_BUCKET: { path: ['media', 's3', 'bucket'] },
  PARLEY_MEDIA_S3_REGION: { path: ['media', 's3', 'region'] },
  PARLEY_MEDIA_S3_ENDPOINT: { path: ['media', 's3', 'endpoint'] },
  PARLEY_MEDIA_S3_ACCESS_KEY_ID: { path: ['media', 's3', 'accessKeyId'] },
  PARLEY_MEDIA_S3_SECRET_ACCESS_KEY: { path: ['media', 's3', 'secretAccessKey'] },
  PARLEY_LOG_LEVEL: { path: ['logLevel'] },
};

/** The overrides present in `env` as a partial config, and which variable set which dotted path. */
export function envOverrides(env: NodeJS.ProcessEnv): { values: Record<string, unknown>; sources: Map<string, string> } {
  const values: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const [name, spec] of Object.entries(ENV_OVERRIDES)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(values, spec.path, spec.parse === undefined ? raw : spec.parse(raw));
    sources.set(spec.path.join('.'), name);
  }
  return { values, sources };
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}
