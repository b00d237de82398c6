import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STREAMS_ERROR_CODES, StreamsError, isStreamsError } from '../src/errors.js';

const readme = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');

describe('Errors', () => {
  it('documents every error code in the README, and nothing else', () => {
    const errorsSection = readme.slice(readme.indexOf('\n## Errors'), readme.indexOf('\n## ', readme.indexOf('\n## Errors') + 1));
    const documented = [...errorsSection.matchAll(/^### `(STREAMS_[A-Z_]+)`/gm)].map((m) => m[1]);
    expect([...documented].sort()).to.deep.equal([...STREAMS_ERROR_CODES].sort());
  });

  it('carries the code, the cause and the retriable flag', () => {
    const cause = new Error('disk full');
    const err = new StreamsError('STREAMS_LOG_IO', 'cannot write', { cause, retriable: true });
    expect([err.code, err.cause, err.retriable, err instanceof Error]).to.deep.equal(['STREAMS_LOG_IO', cause, true, true]);
    expect(isStreamsError(err, 'STREAMS_LOG_IO')).to.equal(true);
    expect(isStreamsError(err, 'STREAMS_STORE_IO')).to.equal(false);
    expect(isStreamsError(new Error('x'))).to.equal(false);
  });
});
