import type { IndexedConversation } from './conversation-index.js';

/** Rows per chunk of joined names. */
const CHUNK = 1024;
/** Joins names in a chunk; a search text containing it falls back to a scan. */
const SEPARATOR = '\u0000';

interface Chunk {
  /** The chunk's lower-cased display names joined by SEPARATOR. */
  text: string;
  /** Where each name starts in `text`. */
  starts: number[];
}

/**
 * Substring search over the display names of the index's sorted rows. Testing 100k names one by
 * one reads 100k strings scattered over the heap; here the names of each run of 1024 rows are
 * joined into one string, built when first searched and kept until a row in or before that run
 * moves, so a search is a few `indexOf` calls over contiguous text. Updates mostly touch the
 * newest rows, at the end of the array, so few chunks are rebuilt.
 */
export class NameSearch {
  #chunks: Chunk[] = [];
  /** Chunks from this one on are stale. */
  #dirtyFrom = 0;

  /** Rows from `index` on have moved (an insert or removal there shifts everything after it). */
  invalidateFrom(index: number): void {
    this.#dirtyFrom = Math.min(this.#dirtyFrom, Math.floor(index / CHUNK));
  }

  /**
   * Indices of the rows whose name contains `text` (lower case), highest first (list order);
   * undefined when `text` cannot be searched this way.
   */
  search(rows: readonly IndexedConversation[], text: string): number[] | undefined {
    if (text.includes(SEPARATOR)) return undefined;
    this.#refresh(rows);
    const found: number[] = [];
    for (let k = this.#chunks.length - 1; k >= 0; k -= 1) {
      const { text: joined, starts } = this.#chunks[k]!;
      const local: number[] = [];
      let at = joined.indexOf(text);
      while (at >= 0) {
        let low = 0;
        let high = starts.length - 1;
        while (low < high) {
          const mid = (low + high + 1) >>> 1;
          if (starts[mid]! <= at) low = mid;
          else high = mid - 1;
        }
        local.push(k * CHUNK + low);
        // Next search from the following name: one hit per row.
        at = low + 1 < starts.length ? joined.indexOf(text, starts[low + 1]!) : -1;
      }
      for (let i = local.length - 1; i >= 0; i -= 1) found.push(local[i]!);
    }
    return found;
  }

  #refresh(rows: readonly IndexedConversation[]): void {
    const count = Math.ceil(rows.length / CHUNK);
    if (this.#chunks.length > count) this.#chunks.length = count;
    for (let k = Math.min(this.#dirtyFrom, this.#chunks.length); k < count; k += 1) {
      const names: string[] = [];
      const starts: number[] = [];
      let offset = 0;
      for (let i = k * CHUNK; i < Math.min(rows.length, (k + 1) * CHUNK); i += 1) {
        const name = rows[i]!.displayNameLower;
        starts.push(offset);
        names.push(name);
        offset += name.length + SEPARATOR.length;
      }
      this.#chunks[k] = { text: names.join(SEPARATOR), starts };
    }
    this.#dirtyFrom = count;
  }
}
