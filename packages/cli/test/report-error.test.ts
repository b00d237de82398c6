import { expect } from 'chai';
import { CliError, EXIT_CODES, RuntimeRequestError } from '../src/index.js';
import { reportError } from '../src/report-error.js';
import { memoryIo } from './helpers.js';

describe('Cli > reportError', () => {
  it('prints a known error as one line `code: message` and maps it to an exit code', () => {
    const cases: Array<[unknown, number, string]> = [
      [new CliError('CLI_USAGE', 'bad'), EXIT_CODES.usage, 'CLI_USAGE: bad\n'],
      [new CliError('CLI_RUNTIME_UNREACHABLE', 'down'), EXIT_CODES.unreachable, 'CLI_RUNTIME_UNREACHABLE: down\n'],
      [new RuntimeRequestError(404, 'RUNTIME_NOT_FOUND', 'no'), EXIT_CODES.refused, 'RUNTIME_NOT_FOUND: no (HTTP 404)\n'],
      [Object.assign(new Error('port -1'), { code: 'RUNTIME_CONFIG_INVALID' }), EXIT_CODES.usage, 'RUNTIME_CONFIG_INVALID: port -1\n'],
      [Object.assign(new Error('locked'), { code: 'STREAMS_LOG_LOCKED' }), EXIT_CODES.startFailed, 'STREAMS_LOG_LOCKED: locked\n'],
    ];
    for (const [err, exit, line] of cases) {
      const io = memoryIo('/');
      expect([reportError(err, io), io.err]).to.deep.equal([exit, line]);
    }
  });

  it('prints an unexpected error with a banner and its stack, and exits 1', () => {
    const io = memoryIo('/');
    const err = Object.assign(new TypeError('undefined is not a function'), { code: 'ERR_SOMETHING' });
    expect(reportError(err, io)).to.equal(EXIT_CODES.internal);
    expect(io.err).to.include('Unexpected error').and.include('TypeError: undefined is not a function').and.include('report-error.test.ts');
  });
});
