/**
 * A local stand-in for an S3-compatible store, checking requests as S3 does: SigV4 auth, in the
 * Authorization header (PutObject, GetObject, HeadObject) or in the query (presigned GET URLs), is
 * recomputed with the AWS signer (`@smithy/signature-v4`) from the test credentials — an unknown
 * key id is 403 InvalidAccessKeyId, a wrong secret 403 SignatureDoesNotMatch, a body whose hash
 * is not the signed `x-amz-content-sha256` 400 XAmzContentSHA256Mismatch, an expired presigned
 * URL 403 AccessDenied; then path-style `/<bucket>/<key>`: an unknown bucket is 404 NoSuchBucket,
 * a missing object 404 NoSuchKey. Errors are S3's XML.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export const S3_REGION = 'eu-central-1';
export const S3_ACCESS_KEY_ID = 'AKIAPARLEYTEST000001';
export const S3_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYPARLEYTEST';

export interface FakeS3Object {
  bytes: Buffer;
  contentType: string | undefined;
}

export interface FakeS3 {
  /** `http://127.0.0.1:<port>` (`media.s3.endpoint`). */
  endpoint: string;
  /** Stored objects by `<bucket>/<key>`. */
  objects: Map<string, FakeS3Object>;
  /** Every request: method, path, and the S3 error code it was answered with (undefined when it succeeded). */
  requests: { method: string; path: string; error: string | undefined }[];
  close(): Promise<void>;
}

class S3Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sha256 = Hash.bind(null, 'sha256');
const UNSIGNED = 'UNSIGNED-PAYLOAD';
const MAX_SKEW_MS = 15 * 60 * 1000;

/** Starts the fake with `buckets` (default `media`) and the test credentials. */
export async function startFakeS3(options: { buckets?: readonly string[] } = {}): Promise<FakeS3> {
  const buckets = new Set(options.buckets ?? ['media']);
  const objects = new Map<string, FakeS3Object>();
  const requests: FakeS3['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://fake-s3');
      // The path as sent: a URL parser removes `.` segments, which S3 keeps in keys.
      const path = (req.url ?? '/').split('?')[0]!;
      handle(req, url, path, body)
        .then((answer) => {
          requests.push({ method: req.method ?? '', path, error: undefined });
          res.writeHead(answer.status, answer.headers).end(req.method === 'HEAD' ? undefined : answer.body);
        })
        .catch((err: unknown) => {
          const failure = err instanceof S3Failure ? err : new S3Failure(500, 'InternalError', String(err));
          requests.push({ method: req.method ?? '', path, error: failure.code });
          const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${failure.code}</Code><Message>${failure.message}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
          res.writeHead(failure.status, { 'content-type': 'application/xml' }).end(req.method === 'HEAD' ? undefined : xml);
        });
    });
  });

  async function handle(req: http.IncomingMessage, url: URL, path: string, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body?: Buffer }> {
    await authenticate(req, url, path, body);
    const [, bucket = '', ...rest] = path.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    if (!buckets.has(bucket)) throw new S3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (key === '') throw new S3Failure(400, 'InvalidRequest', 'this fake serves objects only');
    const id = `${bucket}/${key}`;
    if (req.method === 'PUT') {
      objects.set(id, { bytes: body, contentType: req.headers['content-type'] });
      return { status: 200, headers: { etag: `"${createHash('md5').update(body).digest('hex')}"` } };
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const object = objects.get(id);
      if (object === undefined) throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.');
      return { status: 200, headers: { 'content-type': object.contentType ?? 'binary/octet-stream', 'content-length': String(object.bytes.length) }, body: object.bytes };
    }
    throw new S3Failure(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    objects,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Throws the S3Failure S3 would answer unless the request is signed with the test credentials. */
async function authenticate(req: http.IncomingMessage, url: URL, path: string, body: Buffer): Promise<void> {
  const query = Object.fromEntries(url.searchParams);
  const header = req.headers.authorization;
  if (header !== undefined) return checkHeaderAuth(req, url.hostname, path, body, header, query);
  if (query['X-Amz-Signature'] !== undefined) return checkQueryAuth(req, url.hostname, path, query);
  throw new S3Failure(403, 'AccessDenied', 'Access Denied');
}

async function checkHeaderAuth(req: http.IncomingMessage, hostname: string, path: string, body: Buffer, header: string, query: Record<string, string>): Promise<void> {
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(header);
  if (match === null) throw new S3Failure(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
  const [, keyId, , region, signedHeaders] = match as unknown as [string, string, string, string, string];
  checkCredential(keyId, region);
  const payloadHash = headerValue(req, 'x-amz-content-sha256');
  if (payloadHash === undefined) throw new S3Failure(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  if (payloadHash !== UNSIGNED && payloadHash !== createHash('sha256').update(body).digest('hex')) {
    throw new S3Failure(400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const date = parseAmzDate(headerValue(req, 'x-amz-date'));
  if (Math.abs(Date.now() - date.getTime()) > MAX_SKEW_MS) throw new S3Failure(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) headers[name] = headerValue(req, name) ?? '';
  const signed = await signer(region).sign(
    { method: req.method ?? 'GET', protocol: 'http:', hostname, path, query, headers, body },
    { signingDate: date },
  );
  if (signed.headers.authorization !== header) throw new S3Failure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
}

async function checkQueryAuth(req: http.IncomingMessage, hostname: string, path: string, query: Record<string, string>): Promise<void> {
  const credential = /^([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request$/.exec(query['X-Amz-Credential'] ?? '');
  if (query['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256' || credential === null) throw new S3Failure(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm and X-Amz-Credential must be valid.');
  const [, keyId, , region] = credential as unknown as [string, string, string, string];
  checkCredential(keyId, region);
  const date = parseAmzDate(query['X-Amz-Date']);
  const expiresIn = Number(query['X-Amz-Expires']);
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > 604_800) throw new S3Failure(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be 1 to 604800 seconds.');
  if (Date.now() > date.getTime() + expiresIn * 1000) throw new S3Failure(403, 'AccessDenied', 'Request has expired');
  const headers: Record<string, string> = {};
  for (const name of (query['X-Amz-SignedHeaders'] ?? '').split(';')) headers[name] = headerValue(req, name) ?? '';
  // The URL carries the payload hash as a query parameter: the signer reads it from a header of that name, which it hoists back.
  const { 'X-Amz-Signature': signature, 'X-Amz-Content-Sha256': payloadHash, ...rest } = query;
  if (payloadHash !== undefined) headers['X-Amz-Content-Sha256'] = payloadHash;
  const presigned = await signer(region).presign(
    { method: req.method ?? 'GET', protocol: 'http:', hostname, path, query: rest, headers },
    { signingDate: date, expiresIn },
  );
  if (presigned.query?.['X-Amz-Signature'] !== signature) throw new S3Failure(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
}

function checkCredential(keyId: string, region: string): void {
  if (keyId !== S3_ACCESS_KEY_ID) throw new S3Failure(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  if (region !== S3_REGION) throw new S3Failure(400, 'AuthorizationHeaderMalformed', `the region '${region}' is wrong; expecting '${S3_REGION}'`);
}

function signer(region: string): SignatureV4 {
  return new SignatureV4({ service: 's3', region, credentials: { accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_SECRET_ACCESS_KEY }, sha256, uriEscapePath: false });
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAmzDate(value: string | undefined): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (m === null) throw new S3Failure(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}
