import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpStatusForCode, isRuntimeError, RUNTIME_ERROR_CODES, RuntimeError } from '../src/index.js';

const readme = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');

describe('Errors', () => {
  it('documents every error code in the README, and nothing else', () => {
    const start = readme.indexOf('\n## Errors');
    const errorsSection = readme.slice(start, readme.indexOf('\n## ', start + 1));
    const documented = [...errorsSection.matchAll(/^### `(RUNTIME_[A-Z_]+)`/gm)].map((m) => m[1]);
    expect([...documented].sort()).to.deep.equal([...RUNTIME_ERROR_CODES].sort());
  });

  it('gives every code an HTTP error status', () => {
    for (const code of RUNTIME_ERROR_CODES) {
      const status = httpStatusForCode(code);
      expect(status, code).to.be.a('number').within(400, 599);
    }
  });

  it('carries the code, the cause and the field', () => {
    const cause = new Error('bad');
    const err = new RuntimeError('RUNTIME_CONFIG_INVALID', 'invalid', { cause, field: 'http.port' });
    expect([err.code, err.cause, err.field, err instanceof Error]).to.deep.equal(['RUNTIME_CONFIG_INVALID', cause, 'http.port', true]);
    expect(isRuntimeError(err, 'RUNTIME_CONFIG_INVALID')).to.equal(true);
    expect(isRuntimeError(err, 'RUNTIME_INTERNAL')).to.equal(false);
    expect(isRuntimeError(Object.assign(new Error('x'), { code: 'RUNTIME_INTERNAL' }))).to.equal(false);
  });
});
