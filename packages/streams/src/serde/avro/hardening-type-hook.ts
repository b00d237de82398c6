import avsc from 'avsc';

/**
 * Hardens avsc 5.x where it would crash, hang or silently corrupt data; installed as a
 * `typeHook` of `Type.forSchema`, because avsc freezes its types so nothing can be patched onto
 * a parsed one. The hook builds three kinds of type as subclasses of avsc's own:
 *
 * - Arrays and maps. avsc trusts the item count at the start of each block: it allocates
 *   `new Array(count)` and loops `count` times even after the buffer has run out, so a few
 *   garbage bytes claiming 2^31 items exhaust the heap and kill the process, and a negative
 *   block size in a skipped field moves the read position backwards forever. The subclasses'
 *   `_read` and `_skip` stop as soon as the buffer is exhausted and cap a collection at
 *   MAX_COLLECTION_ITEMS, so such bytes end as STREAMS_SERDE_DECODE (other Avro decoders bound
 *   counts the same way: Java Avro's collection limits, hamba/avro's max-allocation check).
 * - Longs. avsc writes a long below -2^52 inexactly (its zig-zag value needs more than a
 *   double's 53 bits), and reads it back as a different number, even with the sign flipped.
 *   The subclass refuses such values on write, so they end as STREAMS_SERDE_ENCODE.
 *
 * avsc builds resolvers from the reader type's `_read` (`resolver._read = this._read`) and skips
 * removed writer fields with the writer type's `_skip`, so parsing both reader and writer
 * schemas through this hook covers every decode path. For valid input the results are the same
 * as avsc's (but see `setEntry`). This reaches into avsc internals (`_read`, `_skip`, `_write`,
 * the Tap); the serde tests fail if an avsc upgrade changes them.
 */

/** The most items one decoded array or map may hold; legitimate records stay far below. */
export const MAX_COLLECTION_ITEMS = 1 << 24;

type TypeHook = NonNullable<Partial<avsc.ForSchemaOptions>['typeHook']>;

interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
  skipLong(): void;
  readString(): string;
  skipString(): void;
}

interface Codec {
  _read(tap: Tap): unknown;
  _skip(tap: Tap): void;
}

/** The lowest long avsc encodes exactly: -2^52. */
export const MIN_EXACT_LONG = -(2 ** 52);

const longWrite = (avsc.types.LongType.prototype as unknown as { _write(tap: Tap, value: unknown): void })
  ._write;

class ExactLongType extends avsc.types.LongType {
  _write(tap: Tap, value: unknown): void {
    if (typeof value === 'number' && value < MIN_EXACT_LONG) {
      throw new RangeError(`long ${value} is below -2^52, which avsc cannot encode exactly`);
    }
    longWrite.call(this, tap, value);
  }
}

class GuardedArrayType extends avsc.types.ArrayType {
  _read(this: { itemsType: Codec }, tap: Tap): unknown[] {
    const items = this.itemsType;
    let values: unknown[] | undefined;
    let i = 0;
    for (let n = blockCount(tap, 0); n > 0; n = blockCount(tap, i)) {
      // Preallocating (as avsc does, ~10% faster) is safe once n is bounded by the bytes left.
      values ??= n <= tap.buf.length - tap.pos ? new Array<unknown>(n) : [];
      while (n-- > 0) {
        values[i++] = items._read(tap);
        if (tap.pos > tap.buf.length) return values;
      }
    }
    return values ?? [];
  }

  _skip(this: { itemsType: Codec }, tap: Tap): void {
    skipBlocks(tap, this.itemsType, false);
  }
}

class GuardedMapType extends avsc.types.MapType {
  _read(this: { valuesType: Codec }, tap: Tap): Record<string, unknown> {
    const values = this.valuesType;
    const map: Record<string, unknown> = {};
    let count = 0;
    for (let n = blockCount(tap, 0); n > 0; n = blockCount(tap, count)) {
      count += n;
      while (n-- > 0) {
        setEntry(map, tap.readString(), values._read(tap));
        if (tap.pos > tap.buf.length) return map;
      }
    }
    return map;
  }

  _skip(this: { valuesType: Codec }, tap: Tap): void {
    skipBlocks(tap, this.valuesType, true);
  }
}

/**
 * A `typeHook` for avsc's `Type.forSchema` that builds the hardened types; `userHook`, when
 * given, is asked first.
 */
export function hardeningTypeHook(userHook?: TypeHook): TypeHook {
  // Schemas with a registered logical type are met twice: first avsc wraps them in the logical
  // type, whose constructor parses the same schema object again for the underlying type.
  const wrapped = new WeakSet<object>();
  return (schema, opts) => {
    const own = userHook?.(schema, opts);
    if (own !== undefined) return own;
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
    const { type, logicalType } = schema as { type?: unknown; logicalType?: unknown };
    if (type !== 'array' && type !== 'map' && type !== 'long') return undefined;
    if (typeof logicalType === 'string' && opts.logicalTypes?.[logicalType] && !wrapped.has(schema)) {
      wrapped.add(schema);
      return undefined;
    }
    if (type === 'long') return new ExactLongType();
    return type === 'array' ? new GuardedArrayType(schema, opts) : new GuardedMapType(schema, opts);
  };
}

/**
 * `map[key] = value`, except that a "__proto__" key becomes an own entry (as JSON.parse does)
 * instead of replacing the map's prototype, which is what avsc's own map reader does.
 */
function setEntry(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    map[key] = value;
  }
}

function exhausted(tap: Tap): boolean {
  return tap.pos > tap.buf.length;
}

function invalidate(tap: Tap): void {
  tap.pos = tap.buf.length + 1;
}

/** Reads a block's item count; returns 0 (and invalidates the tap) when it exceeds the cap. */
function blockCount(tap: Tap, seen: number): number {
  let n = tap.readLong();
  if (n < 0) {
    n = -n;
    tap.skipLong(); // The block's byte size, only useful for skipping.
  }
  if (!(n <= MAX_COLLECTION_ITEMS - seen)) {
    invalidate(tap);
    return 0;
  }
  return n;
}

function skipBlocks(tap: Tap, items: Codec, withKeys: boolean): void {
  let count = 0;
  for (let n = tap.readLong(); n !== 0 && !exhausted(tap); n = tap.readLong()) {
    if (n < 0) {
      // A block written with its byte size; a negative size would move backwards forever.
      const size = tap.readLong();
      if (size < 0) return invalidate(tap);
      tap.pos += size;
      continue;
    }
    if (!(n <= MAX_COLLECTION_ITEMS - count)) return invalidate(tap);
    count += n;
    while (n-- > 0) {
      if (withKeys) tap.skipString();
      items._skip(tap);
      if (exhausted(tap)) return;
    }
  }
}
