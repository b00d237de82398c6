import sortedBtree from 'sorted-btree';
import type { KeyRange } from './key-range.js';

type BTreeClass = typeof sortedBtree.default;
type Tree<V> = InstanceType<typeof sortedBtree.default<string, [Buffer, V]>>;

/**
 * sorted-btree is CommonJS with `exports.default = BTree`. Node's ESM loader hands us
 * module.exports as the default import, while a CommonJS transpile (tsx's require hook, used
 * by mocha) honours `__esModule` and hands us BTree itself: accept both.
 */
const imported: unknown = sortedBtree;
const BTree: BTreeClass =
  typeof imported === 'function' ? (imported as BTreeClass) : (imported as { default: BTreeClass }).default;

/**
 * Orders latin1 strings; latin1 maps byte b to UTF-16 code unit b, so this is exactly
 * Buffer.compare order, and about twice as fast in a tree as calling Buffer.compare.
 */
const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const id = (key: Buffer): string => key.toString('latin1');

/**
 * A B+ tree map from Buffer keys, ordered as unsigned bytes (LevelDB's order). `clone()` is an
 * O(1) copy-on-write snapshot, which lets scans run while the original keeps changing.
 */
export class SortedBufferMap<V> {
  readonly #tree: Tree<V>;

  constructor(tree?: Tree<V>) {
    this.#tree = tree ?? new BTree<string, [Buffer, V]>(undefined, compareStrings);
  }

  get size(): number {
    return this.#tree.size;
  }

  get(key: Buffer): V | undefined {
    return this.#tree.get(id(key))?.[1];
  }

  set(key: Buffer, value: V): void {
    this.#tree.set(id(key), [key, value]);
  }

  /** Returns true when the key was added. */
  setIfNotPresent(key: Buffer, value: V): boolean {
    return this.#tree.setIfNotPresent(id(key), [key, value]);
  }

  delete(key: Buffer): boolean {
    return this.#tree.delete(id(key));
  }

  clear(): void {
    this.#tree.clear();
  }

  clone(): SortedBufferMap<V> {
    return new SortedBufferMap(this.#tree.clone());
  }

  /** Every value, in key order. */
  values(): V[] {
    return this.#tree.valuesArray().map(([, value]) => value);
  }

  /**
   * Entries inside `range` (everything by default) in key order, descending when
   * `range.reverse`. Iterate a clone when the map may change during the iteration.
   */
  *entries(range: KeyRange = { reverse: false }): Generator<[Buffer, V]> {
    const gte = range.gte === undefined ? undefined : id(range.gte);
    const lte = range.lte === undefined ? undefined : id(range.lte);
    const lt = range.lt === undefined ? undefined : id(range.lt);
    if (range.reverse) {
      for (const [key, entry] of this.#tree.entriesReversed(lte ?? lt, undefined, lt !== undefined)) {
        if (gte !== undefined && key < gte) return;
        yield entry;
      }
      return;
    }
    for (const [key, entry] of this.#tree.entries(gte)) {
      if ((lte !== undefined && key > lte) || (lt !== undefined && key >= lt)) return;
      yield entry;
    }
  }
}
