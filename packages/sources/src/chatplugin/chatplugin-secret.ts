import * as path from 'node:path';
import { generateJwtSecret } from '../auth/jwt.js';
import { readOrCreateSecretFile } from '../auth/secret-file.js';
import type { DataDir } from '../data-dir.js';

/** `<dataDir>/auth/chatplugin-secret`: the generated key of chat plugin tokens (0600). */
export function chatPluginSecretFile(dataDir: DataDir): string {
  return path.join(dataDir.authDir, 'chatplugin-secret');
}

/**
 * The chat plugin's token key: the configured `sources.chatplugin.tokenSecret`, else the one in
 * the data directory, generated (64 random base64url characters) on first start. Its own key,
 * never the runtime's JWT secret: chat tokens and user JWTs are never accepted for each other.
 */
export function loadChatPluginSecret(dataDir: DataDir, configured: string | undefined): string {
  return configured ?? readOrCreateSecretFile(chatPluginSecretFile(dataDir), generateJwtSecret).value;
}
