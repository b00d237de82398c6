import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT_CODES } from '../errors.js';
import type { CliIo } from '../io.js';
import { COMMANDS, type CommandSpec, type OptionSpec } from '../options.js';
import { reportError } from '../report-error.js';

/** The commander program for the command tables in `options.ts`; actions are imported lazily. */
function program(io: CliIo, version: string, onExit: (code: number) => void): Command {
  const root = new Command('parley')
    .description('Parley: an event-sourced conversational messaging platform')
    .version(version)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');
  for (const spec of COMMANDS) addCommand(root, spec, io, onExit);
  return root;
}

function addCommand(parent: Command, spec: CommandSpec, io: CliIo, onExit: (code: number) => void): void {
  const command = parent.command(spec.name).description(spec.description);
  // Subcommands do not inherit these settings from the root.
  command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showHelpAfterError('(run with --help for usage)');
  for (const argument of spec.arguments ?? []) command.argument(`<${argument.name}>`, argument.description);
  for (const option of spec.options ?? []) command.addOption(toOption(option));
  for (const sub of spec.subcommands ?? []) addCommand(command, sub, io, onExit);
  const load = spec.action;
  if (load === undefined) return;
  command.action(async (...params: unknown[]) => {
    // commander passes the positional arguments, then the options, then the command.
    const args = params.slice(0, (spec.arguments ?? []).length) as string[];
    const options = params[args.length] as Record<string, unknown>;
    const action = await load();
    await action(options, io, args);
    onExit(EXIT_CODES.ok);
  });
}

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  const parse = spec.parse;
  if (parse !== undefined) {
    option.argParser((raw: string) => {
      try {
        return parse(raw);
      } catch (err) {
        throw new InvalidArgumentError((err as Error).message);
      }
    });
  }
  return option;
}

/**
 * Runs the CLI for `argv` (as in process.argv: node, script, args…) and resolves with the exit
 * code; errors are printed, never thrown.
 */
export async function runProgram(argv: readonly string[], io: CliIo, version: string): Promise<number> {
  let code: number = EXIT_CODES.ok;
  try {
    await program(io, version, (c) => (code = c)).parseAsync([...argv]);
  } catch (err) {
    // Commander has printed its own message (usage errors) or the help/version text.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    return reportError(err, io);
  }
  return code;
}
