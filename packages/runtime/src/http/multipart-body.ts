/**
 * `multipart/form-data` bodies of the routes that take them (RouteDefinition.multipart: uploads,
 * as Airy's `media.upload` takes them), parsed as they stream in by busboy with hard bounds: a
 * declared length over the limit is refused before a byte is read, a file over `maxFileBytes` or
 * too many parts as soon as busboy sees it (413), a body slower than the body timeout 408. The
 * form becomes the JSON-shaped body the route's schema validates: the file base64 under its field,
 * its part's Content-Type under `typeField`, other fields as strings.
 */
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import type { MultipartForm } from '@parley/sources';
import type { Request } from 'express';
import { RuntimeError } from '../errors.js';
import type { BodyLimits, BodyReader } from './body-parsing.js';

/** Room for the form's boundaries, part headers and text fields besides the file. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const MAX_FIELDS = 16;
const MAX_FIELD_BYTES = 8 * 1024;

/** True when the request says its body is `multipart/form-data`. */
export function isMultipart(req: Request): boolean {
  return /^multipart\/form-data\s*(;|$)/i.test(req.headers['content-type'] ?? '');
}

/** Reads a multipart body into `req.body` for `form`; rejects with a RuntimeError. */
export function multipartBodyReader(form: MultipartForm, timeoutMs: number): BodyReader {
  const limits: BodyLimits = { limitBytes: form.maxFileBytes + MULTIPART_OVERHEAD_BYTES, timeoutMs };
  return async (req) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limits.limitBytes) throw tooLarge(`the request body is larger than ${limits.limitBytes} bytes`);
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') throw new RuntimeError('RUNTIME_UNSUPPORTED_MEDIA_TYPE', `a multipart body is read without content encoding, not ${JSON.stringify(encoding)}`);
    req.body = await parse(req, form, limits);
  };
}

function parse(req: Request, form: MultipartForm, limits: BodyLimits): Promise<Record<string, string>> {
  let parser: BusboyInstance;
  try {
    parser = Busboy({
      headers: req.headers as { 'content-type': string },
      limits: { fileSize: form.maxFileBytes, files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1, headerPairs: 16 },
    });
  } catch (cause) {
    throw new RuntimeError('RUNTIME_INVALID_REQUEST', 'the multipart body has no valid boundary in its Content-Type', { cause, field: 'body' });
  }
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: { bytes: Buffer; contentType: string } | undefined;
    let settled = false;
    const fail = (err: RuntimeError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Stop reading: the error handler closes the connection instead of draining the rest.
      req.off('data', count);
      req.unpipe(parser);
      req.pause();
      reject(err);
    };
    const timer = setTimeout(() => fail(new RuntimeError('RUNTIME_REQUEST_TIMEOUT', `the request body did not arrive within ${limits.timeoutMs} ms`)), limits.timeoutMs);
    const malformed = (cause: unknown) => fail(new RuntimeError('RUNTIME_INVALID_REQUEST', 'the multipart body is malformed', { cause, field: 'body' }));
    parser.on('file', (name, stream, _filename, _encoding, mimeType) => {
      // A body cut off inside the file is an error of the file's stream: unhandled, it would take the process down.
      stream.on('error', malformed);
      if (name !== form.fileField) {
        stream.resume();
        return fail(new RuntimeError('RUNTIME_INVALID_REQUEST', `the form's file part must be named ${form.fileField}, not ${JSON.stringify(name)}`, { field: name }));
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(tooLarge(`${form.fileField}: the file is larger than ${form.maxFileBytes} bytes`)));
      stream.on('end', () => {
        if (!stream.truncated) file = { bytes: Buffer.concat(chunks), contentType: mimeType };
      });
    });
    parser.on('field', (name, value, nameTruncated, valueTruncated) => {
      if (nameTruncated || valueTruncated) return fail(tooLarge(`${name}: a form field is larger than ${MAX_FIELD_BYTES} bytes`));
      if (name !== '__proto__') fields[name] = value;
    });
    parser.on('filesLimit', () => fail(new RuntimeError('RUNTIME_INVALID_REQUEST', `the form has more than one file; send one, as ${form.fileField}`, { field: form.fileField })));
    for (const event of ['partsLimit', 'fieldsLimit'] as const) parser.on(event, () => fail(tooLarge(`the form has more than ${MAX_FIELDS} fields`)));
    parser.on('error', malformed);
    parser.on('finish', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', count);
      const body: Record<string, string> = { ...fields };
      if (file !== undefined) {
        body[form.fileField] = file.bytes.toString('base64');
        body[form.typeField] ??= file.contentType;
      }
      resolve(body);
    });
    // Counts what arrives: a body past the limit (fields, boundaries) stops being read there.
    let received = 0;
    function count(chunk: Buffer): void {
      received += chunk.length;
      if (received > limits.limitBytes) fail(tooLarge(`the request body is larger than ${limits.limitBytes} bytes`));
    }
    req.on('data', count);
    req.on('aborted', () => fail(new RuntimeError('RUNTIME_INVALID_REQUEST', 'the request body was cut off', { field: 'body' })));
    req.pipe(parser);
  });
}

function tooLarge(message: string): RuntimeError {
  return new RuntimeError('RUNTIME_BODY_TOO_LARGE', message);
}
