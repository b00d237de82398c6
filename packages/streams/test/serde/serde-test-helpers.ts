import { expect } from 'chai';
import { StreamsError, type StreamsErrorCode } from '../../src/errors.js';

/** Runs `fn`, fails the test unless it throws, and returns what it threw. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return expect.fail('expected the call to throw');
}

/** Asserts that `fn` throws a StreamsError with `code`, and returns the error. */
export function expectStreamsError(fn: () => unknown, code: StreamsErrorCode): StreamsError {
  const err = thrownBy(fn);
  expect(err).to.be.instanceOf(StreamsError);
  expect((err as StreamsError).code).to.equal(code);
  return err as StreamsError;
}

/** Decodes, and tells whether the outcome was a value or a StreamsError with one of `codes`. */
export function decodesOrFailsWith(
  fn: () => unknown,
  codes: readonly StreamsErrorCode[],
): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    return err instanceof StreamsError && codes.includes(err.code);
  }
}
