import { randomBytes } from 'node:crypto';
import type { RuntimeConfig } from '../config/config-schema.js';
import type { DataDir } from '../data-dir.js';
import { generateJwtSecret } from './jwt.js';
import { readOrCreateSecretFile } from './secret-file.js';

/** Where the system token came from. */
export type SystemTokenOrigin = 'generated' | 'data-dir' | 'config';

export interface AuthSecrets {
  systemToken: string;
  systemTokenOrigin: SystemTokenOrigin;
  jwtSecret: string;
  /** Files whose group/other permissions were removed on this start. */
  permissionsFixed: string[];
}

/** A fresh system token: `parley_st_` + 32 random bytes (base64url); the prefix lets secret scanners spot it. */
export function generateSystemToken(): string {
  return `parley_st_${randomBytes(32).toString('base64url')}`;
}

/**
 * The system token and JWT secret: from the configuration when set there, else read from the
 * data directory, generated and stored (0600) on first start.
 */
export function loadAuthSecrets(config: RuntimeConfig, dataDir: DataDir): AuthSecrets {
  const permissionsFixed: string[] = [];
  const fromFile = (file: string, generate: () => string) => {
    const result = readOrCreateSecretFile(file, generate);
    if (result.permissionsFixed) permissionsFixed.push(file);
    return result;
  };
  let systemToken = config.auth.systemToken;
  let systemTokenOrigin: SystemTokenOrigin = 'config';
  if (systemToken === undefined) {
    const result = fromFile(dataDir.systemTokenFile, generateSystemToken);
    systemToken = result.value;
    systemTokenOrigin = result.created ? 'generated' : 'data-dir';
  }
  const jwtSecret = config.auth.jwtSecret ?? fromFile(dataDir.jwtSecretFile, generateJwtSecret).value;
  return { systemToken, systemTokenOrigin, jwtSecret, permissionsFixed };
}
