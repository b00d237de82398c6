/**
 * Where uploaded media live: by default files under `<dataDir>/media/`, named by content (the
 * SHA-256 of the bytes, so the same file uploaded twice is stored once) plus the extension of its
 * type. Each file has a `<name>.json` beside it with its content type. `media.store: s3` puts them
 * in an S3-compatible bucket instead (`s3-media-store.ts`), under the same names.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** A stored medium. */
export interface StoredMedium {
  bytes: Buffer;
  contentType: string;
}

export interface MediaStore {
  /** Stores `bytes`; answers the name to fetch them by. */
  put(bytes: Buffer, contentType: string): Promise<string>;
  /** The medium stored under `name`; undefined when there is none. */
  get(name: string): Promise<StoredMedium | undefined>;
  /** Whether a medium is stored under `name` (without reading it). */
  has(name: string): Promise<boolean>;
  /**
   * A URL of the store's own that serves `name` for `expiresInSeconds` (an S3 presigned GET);
   * undefined for a store served only through the runtime's signed `/media/` URLs.
   */
  url?(name: string, expiresInSeconds: number): Promise<string>;
}

/** `<64 hex>.<ext>`: what `put` names files; anything else is never looked up. */
export const MEDIA_NAME = /^[0-9a-f]{64}\.[a-z0-9]{1,8}$/;

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

/** The file extension of a content type (`bin` for types without one here). */
export function extensionOf(contentType: string): string {
  return EXTENSIONS[contentType.toLowerCase()] ?? 'bin';
}

/** The name a store keeps `bytes` of `contentType` under: `<sha256 hex>.<ext>`. */
export function mediaName(bytes: Buffer, contentType: string): string {
  return `${createHash('sha256').update(bytes).digest('hex')}.${extensionOf(contentType)}`;
}

export class LocalMediaStore implements MediaStore {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  async put(bytes: Buffer, contentType: string): Promise<string> {
    const name = mediaName(bytes, contentType);
    await fs.mkdir(this.#dir, { recursive: true });
    // Meta first: a file is served only once both exist, and a rewrite of the same name writes the same bytes.
    await fs.writeFile(path.join(this.#dir, `${name}.json`), JSON.stringify({ content_type: contentType }));
    await fs.writeFile(path.join(this.#dir, name), bytes);
    return name;
  }

  async get(name: string): Promise<StoredMedium | undefined> {
    if (!MEDIA_NAME.test(name)) return undefined;
    try {
      const [bytes, meta] = await Promise.all([fs.readFile(path.join(this.#dir, name)), fs.readFile(path.join(this.#dir, `${name}.json`), 'utf8')]);
      const contentType = (JSON.parse(meta) as { content_type?: unknown }).content_type;
      return { bytes, contentType: typeof contentType === 'string' ? contentType : 'application/octet-stream' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async has(name: string): Promise<boolean> {
    if (!MEDIA_NAME.test(name)) return false;
    try {
      await Promise.all([fs.access(path.join(this.#dir, name)), fs.access(path.join(this.#dir, `${name}.json`))]);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
}
