import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STREAMS_ERROR_CODES, StreamsError, TopicError, isStreamsError } from '../src/errors.js';
import { isRetriable } from '../src/app/recovery-loop.js';

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

  // Issue 9: a retriable ENOSPC from a second copy of the library failed the instanceof check,
  // so StreamsApp went to 'error' instead of retrying.
  it('recognises an error made by another copy of the module, so its retriable flag is honoured', async () => {
    const copy = (await import(`../src/errors.js?copy=${Date.now()}`)) as typeof import('../src/errors.js');
    expect(copy.StreamsError).to.not.equal(StreamsError);
    const foreign = new copy.StreamsError('STREAMS_LOG_IO', 'cannot append: ENOSPC', { retriable: true });
    expect([foreign instanceof StreamsError, isStreamsError(foreign, 'STREAMS_LOG_IO'), isRetriable(foreign)]).to.deep.equal([true, true, true]);
    expect(foreign instanceof TopicError, 'subclasses keep the prototype check').to.equal(false);
    expect(new TopicError('STREAMS_TOPIC_NOT_FOUND', 'x', { topic: 't' }) instanceof StreamsError).to.equal(true);
    expect({ code: 'STREAMS_LOG_IO', retriable: true } instanceof StreamsError).to.equal(false);
  });
});
