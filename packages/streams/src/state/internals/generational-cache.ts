/**
 * A byte-bounded cache that approximates LRU with two generations (as in a 2Q or "segmented"
 * cache): entries live in `young` or `old`; a hit in `old` moves the entry to `young`; when
 * `young` fills half the budget it becomes `old`, and what was left in the previous `old` —
 * entries not used for a whole generation — is evicted in one batch.
 *
 * Why not a true LRU: every operation here is one or two Map operations, with no list to relink
 * and no per-entry hook; an evicted generation is handed over as one batch, which the record
 * cache writes to its store in one call. Measured on the store benchmark, lru-cache (with a size
 * calculation and a dispose hook) cost more than the LevelDB write it sits in front of.
 */
export class GenerationalCache<V extends { size: number }> {
  readonly maxBytes: number;
  readonly #onEvict: (values: V[]) => void;
  #young = new Map<string, V>();
  #old = new Map<string, V>();
  #youngBytes = 0;
  #oldBytes = 0;

  constructor(maxBytes: number, onEvict: (values: V[]) => void) {
    this.maxBytes = maxBytes;
    this.#onEvict = onEvict;
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  get bytes(): number {
    return this.#youngBytes + this.#oldBytes;
  }

  get(key: string): V | undefined {
    const young = this.#young.get(key);
    if (young !== undefined) return young;
    const old = this.#old.get(key);
    if (old === undefined) return undefined;
    this.#old.delete(key);
    this.#oldBytes -= old.size;
    this.#addYoung(key, old);
    return old;
  }

  set(key: string, value: V): void {
    this.delete(key);
    this.#addYoung(key, value);
  }

  /** Adds a key the caller knows is absent (it just missed it): one Map write, no delete first. */
  add(key: string, value: V): void {
    this.#addYoung(key, value);
  }

  /**
   * Records that `value`, cached under `key` and changed in place, went from `previousSize` bytes
   * to `value.size`; it counts as used (moved to `young`). Cheaper than delete + set on the hot
   * path of a read-then-write, where the read has just put the entry in `young`.
   */
  resized(key: string, value: V, previousSize: number): void {
    if (this.#young.get(key) === value) {
      this.#youngBytes += value.size - previousSize;
      this.#rotateIfFull();
      return;
    }
    if (this.#old.get(key) === value) {
      this.#old.delete(key);
      this.#oldBytes -= previousSize;
    } else {
      this.delete(key);
    }
    this.#addYoung(key, value);
  }

  delete(key: string): void {
    const young = this.#young.get(key);
    if (young !== undefined) {
      this.#young.delete(key);
      this.#youngBytes -= young.size;
      return;
    }
    const old = this.#old.get(key);
    if (old !== undefined) {
      this.#old.delete(key);
      this.#oldBytes -= old.size;
    }
  }

  clear(): void {
    this.#young = new Map();
    this.#old = new Map();
    this.#youngBytes = 0;
    this.#oldBytes = 0;
  }

  #addYoung(key: string, value: V): void {
    this.#young.set(key, value);
    this.#youngBytes += value.size;
    this.#rotateIfFull();
  }

  #rotateIfFull(): void {
    if (this.#youngBytes <= this.maxBytes / 2) return;
    const evicted = this.#old;
    this.#old = this.#young;
    this.#oldBytes = this.#youngBytes;
    this.#young = new Map();
    this.#youngBytes = 0;
    if (evicted.size > 0) this.#onEvict([...evicted.values()]);
  }
}
