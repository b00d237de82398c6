import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { clientFor, type ClientOptions } from '../target.js';

/** `parley token --subject <user>`: asks the runtime (`tokens.create`, system token) for a user JWT and prints it. */
export async function tokenAction(raw: Record<string, unknown>, io: CliIo): Promise<void> {
  const options = raw as ClientOptions & { subject?: string; expiresIn?: number };
  if (options.subject === undefined || options.subject.length === 0) throw new CliError('CLI_USAGE', 'parley token needs --subject <user>');
  const minted = await clientFor(options, io).tokensCreate({ subject: options.subject, ...(options.expiresIn === undefined ? {} : { expires_in_seconds: options.expiresIn }) });
  if (options.json === true) return void io.stdout(`${JSON.stringify(minted, null, 2)}\n`);
  io.stdout(`${minted.token}\n`);
}
