import express, { type Request, type RequestHandler, type Response } from 'express';
import { RuntimeError } from '../errors.js';

/** body-parser's error `type`s, turned into our codes. */
function bodyError(err: unknown, limit: number): RuntimeError {
  const type = (err as { type?: unknown })?.type;
  switch (type) {
    case 'entity.parse.failed':
      return new RuntimeError('RUNTIME_INVALID_JSON', 'the request body is not valid JSON', { cause: err });
    case 'entity.too.large':
      return new RuntimeError('RUNTIME_BODY_TOO_LARGE', `the request body is larger than ${limit} bytes`, { cause: err });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new RuntimeError('RUNTIME_UNSUPPORTED_MEDIA_TYPE', 'the request body must be UTF-8 JSON (gzip, deflate or br allowed)', { cause: err });
    default:
      return new RuntimeError('RUNTIME_INVALID_REQUEST', 'the request body could not be read', { cause: err });
  }
}

/** Reads a request body with one of the parsers below; rejects with a RuntimeError. */
export type BodyReader = (req: Request, res: Response) => Promise<void>;

function reader(parser: RequestHandler, limit: number): BodyReader {
  return (req, res) =>
    new Promise<void>((resolve, reject) => {
      parser(req, res, (err?: unknown) => (err === undefined || err === null ? resolve() : reject(bodyError(err, limit))));
    });
}

/**
 * The RPC body: JSON whatever the Content-Type (so `curl -d '{}'` works without a header),
 * objects and arrays only, at most `limit` bytes; an empty body leaves `req.body` undefined.
 */
export function jsonBodyReader(limit: number): BodyReader {
  // The bytes are kept too (no copy): a route may store a payload exactly as it was sent.
  const verify = (req: Request, _res: unknown, buf: Buffer) => void (rawBodies.set(req, buf));
  return reader(express.json({ limit, strict: true, type: () => true, verify: verify as never }), limit);
}

const rawBodies = new WeakMap<Request, Buffer>();
const EMPTY = Buffer.alloc(0);

/** The bytes of a body jsonBodyReader read (empty when there was none). */
export function rawJsonBody(req: Request): Buffer {
  return rawBodies.get(req) ?? EMPTY;
}

/** A webhook body: the raw bytes, at most `limit`, since signatures are computed over them. */
export function rawBodyReader(limit: number): BodyReader {
  return reader(express.raw({ limit, type: () => true }), limit);
}
