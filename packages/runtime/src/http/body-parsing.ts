/**
 * Request bodies, read with hard bounds (issue 9, point 5): a body larger than the limit is
 * refused as soon as that is known (a declared Content-Length at once, a streamed body at the
 * limit: never read to its end first), and a body that does not arrive within the body timeout
 * is refused too. Either way the error handler closes the connection instead of draining it.
 * JSON bodies are then held to the limits of `findJsonLimitViolation` (depth, well-formed
 * Unicode) before any validator sees them.
 */
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { findJsonLimitViolation, MAX_JSON_DEPTH } from '@parley/schemas';
import type { Request } from 'express';
import getRawBody from 'raw-body';
import { RuntimeError } from '../errors.js';

/** The bounds of one body read. */
export interface BodyLimits {
  /** Largest body, in bytes (after decompression). */
  limitBytes: number;
  /** The whole body must arrive within this many ms of the read starting. */
  timeoutMs: number;
}

/** Reads a request body, storing what it read on the request; rejects with a RuntimeError. */
export type BodyReader = (req: Request) => Promise<void>;

const EMPTY = Buffer.alloc(0);
const rawBodies = new WeakMap<Request, Buffer>();

/** The bytes of a body a reader below read (empty when there was none). */
export function rawJsonBody(req: Request): Buffer {
  return rawBodies.get(req) ?? EMPTY;
}

/**
 * The RPC body: JSON whatever the Content-Type (so `curl -d '{}'` works without a header),
 * UTF-8, an object or an array, within the JSON limits; an empty body leaves `req.body`
 * undefined. The bytes are kept too: a route may store a payload exactly as it was sent.
 */
export function jsonBodyReader(limits: BodyLimits): BodyReader {
  return async (req) => {
    const bytes = await readBody(req, limits);
    rawBodies.set(req, bytes);
    req.body = bytes.length === 0 ? undefined : parseJsonBody(bytes);
  };
}

/** A webhook body: the raw bytes (signatures are computed over them), within the limits. */
export function rawBodyReader(limits: BodyLimits): BodyReader {
  return async (req) => {
    const bytes = await readBody(req, limits);
    rawBodies.set(req, bytes);
    req.body = bytes;
  };
}

/** True when the request's body has not been read (to its end): its connection cannot be reused. */
export function bodyLeftUnread(req: Request): boolean {
  return !req.complete && !rawBodies.has(req);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a UTF-8 JSON body; RUNTIME_INVALID_JSON, RUNTIME_INVALID_UNICODE or RUNTIME_JSON_TOO_DEEP. */
export function parseJsonBody(bytes: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (cause) {
    throw new RuntimeError('RUNTIME_INVALID_UNICODE', 'the request body is not well-formed UTF-8', { cause, field: 'body' });
  }
  const first = /^[\s\uFEFF]*(.)/.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw new RuntimeError('RUNTIME_INVALID_JSON', 'the request body is not a JSON object or array', { field: 'body' });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new RuntimeError('RUNTIME_INVALID_JSON', 'the request body is not valid JSON', { cause, field: 'body' });
  }
  const violation = findJsonLimitViolation(value, MAX_JSON_DEPTH);
  if (violation !== undefined) {
    const code = violation.kind === 'depth' ? 'RUNTIME_JSON_TOO_DEEP' : 'RUNTIME_INVALID_UNICODE';
    throw new RuntimeError(code, `the request body is ${violation.kind === 'depth' ? 'too deep' : 'not well-formed'}: ${violation.message}`, { field: violation.path });
  }
  return value;
}

/** The body's bytes, decompressed, within `limits`. */
async function readBody(req: Request, limits: BodyLimits): Promise<Buffer> {
  const declared = req.headers['content-length'];
  const length = declared === undefined ? undefined : Number(declared);
  // A declared length over the limit is refused before a byte is read.
  if (length !== undefined && length > limits.limitBytes) throw tooLarge(limits.limitBytes);
  assertUtf8Charset(req);
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const stream = decoded(req, encoding);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new RuntimeError('RUNTIME_REQUEST_TIMEOUT', `the request body did not arrive within ${limits.timeoutMs} ms`)), limits.timeoutMs);
  });
  try {
    // raw-body stops reading at the limit and checks the declared length against what came.
    const read = getRawBody(stream, { limit: limits.limitBytes, ...(encoding === 'identity' && length !== undefined ? { length } : {}) });
    return await Promise.race([read, timeout]);
  } catch (err) {
    throw bodyError(err, limits.limitBytes);
  } finally {
    clearTimeout(timer);
    if (stream !== req) stream.destroy();
  }
}

function decoded(req: Request, encoding: string): Readable {
  switch (encoding) {
    case 'identity':
      return req;
    case 'gzip':
    case 'x-gzip':
      return req.pipe(zlib.createGunzip());
    case 'deflate':
      return req.pipe(zlib.createInflate());
    case 'br':
      return req.pipe(zlib.createBrotliDecompress());
    default:
      throw new RuntimeError('RUNTIME_UNSUPPORTED_MEDIA_TYPE', `content encoding ${JSON.stringify(encoding)} is not supported: use gzip, deflate, br or none`);
  }
}

/** A Content-Type naming a charset must name UTF-8 (JSON is UTF-8, RFC 8259). */
function assertUtf8Charset(req: Request): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new RuntimeError('RUNTIME_UNSUPPORTED_MEDIA_TYPE', `the request body must be UTF-8, not ${charset}`);
  }
}

function tooLarge(limit: number): RuntimeError {
  return new RuntimeError('RUNTIME_BODY_TOO_LARGE', `the request body is larger than ${limit} bytes`);
}

/** raw-body's and zlib's errors as our codes. */
function bodyError(err: unknown, limit: number): RuntimeError {
  if (err instanceof RuntimeError) return err;
  const type = (err as { type?: unknown })?.type;
  if (type === 'entity.too.large') return tooLarge(limit);
  if (typeof (err as { errno?: unknown })?.errno === 'number' && typeof (err as { code?: unknown }).code === 'string' && String((err as { code: string }).code).startsWith('Z_')) {
    return new RuntimeError('RUNTIME_INVALID_REQUEST', 'the request body does not decompress with its Content-Encoding', { cause: err, field: 'body' });
  }
  if (type === 'request.size.invalid') return new RuntimeError('RUNTIME_INVALID_REQUEST', 'the request body is shorter or longer than its Content-Length', { cause: err, field: 'body' });
  return new RuntimeError('RUNTIME_INVALID_REQUEST', 'the request body could not be read', { cause: err, field: 'body' });
}
