import type { CliIo } from '../io.js';
import { loadRuntimeModule } from '../load-runtime.js';

/**
 * `parley config validate`: resolves the configuration exactly as `parley start` would (file,
 * then PARLEY_* variables) and prints it with secrets redacted, starting nothing. A bad file is
 * RUNTIME_CONFIG_INVALID (exit 2, naming the field), a missing one RUNTIME_CONFIG_NOT_FOUND.
 */
export async function configValidateAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  const options = raw as { config?: string; json?: boolean };
  const { loadConfig, redact } = await loadRuntimeModule('config validate');
  const config = loadConfig({ file: options.config, env: io.env, cwd: io.cwd });
  const shown = redact(config);
  if (options.json === true) return void io.stdout(`${JSON.stringify({ valid: true, config: shown }, null, 2)}\n`);
  const sources = Object.keys(config.sources);
  io.stdout(
    [
      'configuration is valid',
      `  data directory  ${config.dataDir}`,
      `  log             ${config.log.backend}`,
      `  http            ${config.http.host}:${config.http.port}`,
      `  auth            ${config.auth.enabled ? 'enabled' : 'DISABLED'}`,
      `  sources         ${sources.length === 0 ? '(none configured)' : sources.join(', ')}`,
      '',
    ].join('\n'),
  );
}
