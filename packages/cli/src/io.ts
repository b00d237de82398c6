/** What commands read from and write to; injected so tests can run them in-process. */
export interface CliIo {
  /** Writes text to standard output (no newline added). */
  stdout(text: string): void;
  /** Writes text to standard error (no newline added). */
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Standard input (`parley topics produce` reads records from it). Default: none, read as empty. */
  stdin?: NodeJS.ReadableStream;
  /** Whether a person is at the terminal (confirmations, progress bars). Default false. */
  interactive?: boolean;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
  };
}
