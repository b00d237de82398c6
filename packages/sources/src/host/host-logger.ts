/** Structured fields of one log line; an `err` field is expanded into name, code, message and stack. */
export type HostLogFields = Record<string, unknown>;

/**
 * The host's logger, as providers see it. Events are named `namespace.event`
 * (`chatplugin.socket.closed`); the host redacts secrets from every line.
 */
export interface HostLogger {
  debug(event: string, fields?: HostLogFields): void;
  info(event: string, fields?: HostLogFields): void;
  warn(event: string, fields?: HostLogFields): void;
  error(event: string, fields?: HostLogFields): void;
}
