import * as path from 'node:path';
import { z } from 'zod';
import { generateJwtSecret } from '../auth/jwt.js';
import { readOrCreateSecretFile } from '../auth/secret-file.js';
import { RuntimeError } from '../errors.js';
import { defineRoute } from '../http/route-definition.js';
import type { Runtime } from '../runtime.js';
import type { MediaConfig } from './media-config.js';
import { LocalMediaStore, MEDIA_NAME, type MediaStore } from './media-store.js';
import { MediaUrlSigner } from './media-url.js';
import { S3MediaStore } from './s3-media-store.js';

/** Largest file media.upload takes. */
export const MAX_MEDIA_BYTES = 8 * 1024 * 1024;
/** How long a media URL works, in seconds (7 days); `media.url` signs a fresh one. */
export const MEDIA_URL_TTL_SECONDS = 7 * 24 * 3600;

const base64 = z
  .string()
  .min(1)
  .max(Math.ceil(MAX_MEDIA_BYTES / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')
  .describe(`The file's bytes, base64 (at most ${MAX_MEDIA_BYTES / (1024 * 1024)} MiB decoded)`);

const answer = z.strictObject({
  media_url: z.string().describe("The signed URL: on the address this runtime listens on, or the store's own (an S3 presigned URL) with `media.store: s3`"),
  media_path: z.string().describe("The runtime's signed path to the file, without scheme and host (for a runtime behind a proxy); served through the runtime whatever the store"),
  name: z.string().describe('The stored file: `media.url` signs a fresh URL for it'),
  expires_at: z.iso.datetime().describe('When the URL stops working'),
});

/** The store `media` configures: files under `dir`, or an S3-compatible bucket. */
export function createMediaStore(config: MediaConfig, dir: string): MediaStore {
  return config.store === 's3' && config.s3 !== undefined ? new S3MediaStore(config.s3) : new LocalMediaStore(dir);
}

/**
 * Media: `media.upload` stores a file under `<dataDir>/media/` or in the configured S3-compatible
 * bucket (named by its SHA-256) and answers a signed URL that expires; `media.url` signs a new one;
 * `GET /media/<name>?expires=…&signature=…` serves the file to whoever holds a valid URL. Uploaded
 * media are customer data: Airy put them on a public-read bucket, here a URL works only until it
 * expires (unless `media.s3.publicBaseUrl` says the bucket is public).
 */
export function registerMedia(runtime: Runtime, options: { store?: MediaStore; clock?: () => number } = {}): void {
  const clock = options.clock ?? Date.now;
  // The data directory exists only once the runtime starts: build on first use.
  let store = options.store;
  let signer: MediaUrlSigner | undefined;
  const media = () => (store ??= createMediaStore(runtime.config.media, path.join(runtime.dataDir.root, 'media')));
  const urls = () => (signer ??= new MediaUrlSigner(readOrCreateSecretFile(path.join(runtime.dataDir.authDir, 'media-url-key'), generateJwtSecret).value));
  const signed = async (name: string) => {
    const expiresAt = Math.floor(clock() / 1000) + MEDIA_URL_TTL_SECONDS;
    const mediaPath = urls().sign(name, expiresAt);
    const storeUrl = await media().url?.(name, MEDIA_URL_TTL_SECONDS);
    return { media_url: storeUrl ?? `${runtime.url}${mediaPath}`, media_path: mediaPath, name, expires_at: new Date(expiresAt * 1000).toISOString() };
  };

  runtime.registerRoute(
    defineRoute({
      name: 'media.upload',
      summary: 'Stores a file (an image, a video, a document to send) and answers a signed URL to it',
      description:
        `The body is JSON (\`file\` base64 and its \`content_type\`) or, as Airy's, \`multipart/form-data\` with a \`file\` part (its Content-Type is the type unless a \`content_type\` field is sent); a file over ${MAX_MEDIA_BYTES / (1024 * 1024)} MiB is 413 \`RUNTIME_BODY_TOO_LARGE\`. The file is stored under the data directory or in the S3-compatible bucket \`media.store\` names, named by its SHA-256 (the same file twice is stored once); the URL works for ${MEDIA_URL_TTL_SECONDS / 86400} days (\`media.url\` signs a new one) and is served with \`X-Content-Type-Options: nosniff\` and a sandboxing CSP. A store that refuses the upload is 502 \`RUNTIME_MEDIA_STORE_FAILED\`.`,
      multipart: { fileField: 'file', typeField: 'content_type', maxFileBytes: MAX_MEDIA_BYTES },
      bodyLimitBytes: Math.ceil(MAX_MEDIA_BYTES / 3) * 4 + 64 * 1024,
      request: z.object({
        file: base64,
        content_type: z.string().max(128).regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, 'must be a media type such as image/png').describe('The media type, e.g. `image/png`'),
      }),
      response: answer,
      successStatus: 201,
      errors: ['RUNTIME_MEDIA_STORE_FAILED'],
      example: { file: 'iVBORw0KGgo=', content_type: 'image/png' },
      async handler(_ctx, body) {
        const bytes = Buffer.from(body.file, 'base64');
        if (bytes.length === 0 || bytes.length > MAX_MEDIA_BYTES) {
          throw new RuntimeError('RUNTIME_INVALID_REQUEST', `file: 1 byte to ${MAX_MEDIA_BYTES} bytes, got ${bytes.length}`, { field: 'file' });
        }
        return signed(await media().put(bytes, body.content_type.toLowerCase()));
      },
    }),
  );
  runtime.registerRoute(
    defineRoute({
      name: 'media.url',
      summary: 'A fresh signed URL to a stored file',
      request: z.object({ name: z.string().regex(MEDIA_NAME, 'must be a name media.upload answered') }),
      response: answer,
      errors: ['RUNTIME_NOT_FOUND', 'RUNTIME_MEDIA_STORE_FAILED'],
      example: { name: `${'0'.repeat(64)}.png` },
      async handler(_ctx, body) {
        if (!(await media().has(body.name))) throw new RuntimeError('RUNTIME_NOT_FOUND', `no medium ${body.name}`, { field: 'name' });
        return signed(body.name);
      },
    }),
  );
  runtime.registerFiles('/media/', {
    async serve(name, query) {
      if (!urls().verify(name, query.expires, query.signature, Math.floor(clock() / 1000))) {
        throw new RuntimeError('RUNTIME_FORBIDDEN', 'the media URL is not valid or has expired; ask media.url for a new one');
      }
      const found = await media().get(name);
      if (found === undefined) throw new RuntimeError('RUNTIME_NOT_FOUND', `no medium ${name}`);
      return found;
    },
  });
}
