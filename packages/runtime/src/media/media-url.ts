/**
 * Signed, expiring media URLs: `<base>/media/<name>?expires=<unix seconds>&signature=<base64url>`,
 * the signature an HMAC-SHA256 of `<name>\n<expires>` with a key kept in the data directory.
 * Anyone holding the URL may fetch the file until it expires (a browser `<img>` sends no token);
 * nobody can forge one for another file or a later time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export class MediaUrlSigner {
  readonly #key: string;

  constructor(key: string) {
    this.#key = key;
  }

  /** The path and query of `name`'s URL, valid until `expiresAt` (unix seconds). */
  sign(name: string, expiresAt: number): string {
    return `/media/${name}?expires=${expiresAt}&signature=${this.#signature(name, expiresAt)}`;
  }

  /** True when `signature` is `name`'s for `expires` and `expires` is not past `nowSeconds`. */
  verify(name: string, expires: string | undefined, signature: string | undefined, nowSeconds: number): boolean {
    if (expires === undefined || signature === undefined || !/^[0-9]{1,12}$/.test(expires)) return false;
    const expected = Buffer.from(this.#signature(name, Number(expires)));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected) && Number(expires) >= nowSeconds;
  }

  #signature(name: string, expiresAt: number): string {
    return createHmac('sha256', this.#key).update(`${name}\n${expiresAt}`).digest('base64url');
  }
}
