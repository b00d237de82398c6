import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_ERROR_CODES, CliError, isCliError } from '../src/index.js';

const readme = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');

describe('Cli > errors', () => {
  it('documents every error code in the README, and nothing else', () => {
    const start = readme.indexOf('\n## Errors');
    const errorsSection = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const documented = [...errorsSection.matchAll(/^### `(CLI_[A-Z_]+)`/gm)].map((m) => m[1]);
    expect([...documented].sort()).to.deep.equal([...CLI_ERROR_CODES].sort());
  });

  it('carries the code and the cause', () => {
    const cause = new Error('x');
    const err = new CliError('CLI_USAGE', 'bad', { cause });
    expect([err.code, err.cause, isCliError(err, 'CLI_USAGE'), isCliError(err, 'CLI_REQUEST_FAILED')]).to.deep.equal(['CLI_USAGE', cause, true, false]);
  });
});
