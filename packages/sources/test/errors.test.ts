import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOURCES_ERROR_CODES, SourcesError, isSourcesError } from '../src/errors.js';

const readme = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');

describe('Errors', () => {
  it('documents every error code in the README, and nothing else', () => {
    const start = readme.indexOf('\n## Errors');
    expect(start).to.be.greaterThan(-1);
    const errorsSection = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const documented = [...errorsSection.matchAll(/^### `(SOURCES_[A-Z_]+)`/gm)].map((m) => m[1]);
    expect([...documented].sort()).to.deep.equal([...SOURCES_ERROR_CODES].sort());
  });

  it('carries the code, the cause, the field and the retriable flag', () => {
    const cause = new Error('disk full');
    const err = new SourcesError('SOURCES_LOG_UNAVAILABLE', 'cannot write', { cause, retriable: true, field: 'body' });
    expect([err.code, err.cause, err.retriable, err.field, err instanceof Error]).to.deep.equal(['SOURCES_LOG_UNAVAILABLE', cause, true, 'body', true]);
    expect(isSourcesError(err, 'SOURCES_LOG_UNAVAILABLE')).to.equal(true);
    expect(isSourcesError(err, 'SOURCES_TOKEN_INVALID')).to.equal(false);
    expect(isSourcesError(new Error('x'))).to.equal(false);
  });
});
