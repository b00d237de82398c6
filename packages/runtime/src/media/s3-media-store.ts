/**
 * Media in an S3-compatible bucket (`media.store: s3`), through the AWS SDK v3: objects named as
 * the local store names files (`<prefix><sha256>.<ext>`, content type on the object), presigned
 * GET URLs (SigV4 query auth) so clients fetch from the store, not through the runtime. Every
 * failure of the store is RUNTIME_MEDIA_STORE_FAILED (502) naming S3's error code; the secret key
 * never appears in a message.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { RuntimeError } from '../errors.js';
import type { S3MediaConfig } from './media-config.js';
import { MEDIA_NAME, mediaName, type MediaStore, type StoredMedium } from './media-store.js';

export class S3MediaStore implements MediaStore {
  readonly #client: S3Client;
  readonly #config: S3MediaConfig;

  constructor(config: S3MediaConfig) {
    this.#config = config;
    this.#client = new S3Client({
      region: config.region,
      ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
      forcePathStyle: config.forcePathStyle ?? config.endpoint !== undefined,
      ...(config.accessKeyId === undefined || config.secretAccessKey === undefined ? {} : { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }),
      // Checksums only where S3 requires them: several S3-compatible stores refuse the SDK's default CRC32 headers.
      // throwOnRequestTimeout: without it the SDK only warns and waits on a store that never answers.
      requestHandler: { connectionTimeout: Math.min(config.timeoutMs, 5000), requestTimeout: config.timeoutMs, throwOnRequestTimeout: true },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(bytes: Buffer, contentType: string): Promise<string> {
    const name = mediaName(bytes, contentType);
    await this.#send('PutObject', () => this.#client.send(new PutObjectCommand({ Bucket: this.#config.bucket, Key: this.#key(name), Body: bytes, ContentType: contentType, ContentLength: bytes.length })));
    return name;
  }

  async get(name: string): Promise<StoredMedium | undefined> {
    if (!MEDIA_NAME.test(name)) return undefined;
    const object = await this.#send('GetObject', () => this.#client.send(new GetObjectCommand({ Bucket: this.#config.bucket, Key: this.#key(name) })));
    if (object === undefined || object.Body === undefined) return undefined;
    return { bytes: Buffer.from(await object.Body.transformToByteArray()), contentType: object.ContentType ?? 'application/octet-stream' };
  }

  async has(name: string): Promise<boolean> {
    if (!MEDIA_NAME.test(name)) return false;
    return (await this.#send('HeadObject', () => this.#client.send(new HeadObjectCommand({ Bucket: this.#config.bucket, Key: this.#key(name) })))) !== undefined;
  }

  async url(name: string, expiresInSeconds: number): Promise<string> {
    const key = this.#key(name);
    if (this.#config.publicBaseUrl !== undefined) return `${this.#config.publicBaseUrl.replace(/\/+$/, '')}/${key}`;
    return getSignedUrl(this.#client, new GetObjectCommand({ Bucket: this.#config.bucket, Key: key }), { expiresIn: expiresInSeconds });
  }

  #key(name: string): string {
    return `${this.#config.prefix}${name}`;
  }

  /** Runs one S3 call: undefined for a missing object (404 NoSuchKey / NotFound), RUNTIME_MEDIA_STORE_FAILED for any other failure. */
  async #send<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof S3ServiceException) {
        const status = err.$metadata.httpStatusCode;
        if (status === 404 && (err.name === 'NoSuchKey' || err.name === 'NotFound')) return undefined;
        throw new RuntimeError('RUNTIME_MEDIA_STORE_FAILED', `the media store refused ${operation} on bucket ${this.#config.bucket}: ${status ?? 'no status'} ${err.name}`, { cause: err });
      }
      const code = (err as { code?: unknown }).code;
      throw new RuntimeError('RUNTIME_MEDIA_STORE_FAILED', `the media store did not answer ${operation} on bucket ${this.#config.bucket}${typeof code === 'string' ? ` (${code})` : ''}`, { cause: err });
    }
  }
}
