import { expect } from 'chai';
import { MethodNotAllowedError, RuntimeError, SecretSet, toErrorResponse } from '../../src/index.js';

describe('Http > error status', () => {
  it('keeps the code and message of a known error', () => {
    const response = toErrorResponse(new RuntimeError('RUNTIME_INVALID_CURSOR', 'cursor: bad'));
    expect([response.status, response.body, response.known]).to.deep.equal([400, { message: 'cursor: bad', code: 'RUNTIME_INVALID_CURSOR' }, true]);
  });

  it('maps codes of other Parley packages that clients can act on', () => {
    const err = Object.assign(new Error('no such topic'), { code: 'STREAMS_TOPIC_NOT_FOUND' });
    expect(toErrorResponse(err).status).to.equal(404);
  });

  it('hides everything about an unknown error behind 500 RUNTIME_INTERNAL', () => {
    const errors = [new Error('connect ECONNREFUSED at /secret/path'), Object.assign(new Error('x'), { code: 'EACCES' }), 'a string', undefined, { code: 'RUNTIME_FORBIDDEN' }];
    for (const err of errors) {
      expect(toErrorResponse(err)).to.deep.include({ status: 500, body: { message: 'internal error', code: 'RUNTIME_INTERNAL' }, known: false });
    }
  });

  it('scrubs known secrets from messages it passes on', () => {
    const secrets = new SecretSet().add('abcd-secret-1234');
    const response = toErrorResponse(new RuntimeError('RUNTIME_FORBIDDEN', 'token abcd-secret-1234 is bad'), secrets);
    expect(response.body.message).to.not.include('abcd-secret-1234');
  });

  it('adds WWW-Authenticate to 401 and Allow to 405', () => {
    expect(toErrorResponse(new RuntimeError('RUNTIME_UNAUTHORIZED', 'x')).headers).to.deep.equal({ 'WWW-Authenticate': 'Bearer realm="parley"' });
    expect(toErrorResponse(new MethodNotAllowedError('GET', '/a.b', ['POST'])).headers).to.deep.equal({ Allow: 'POST' });
  });
});
