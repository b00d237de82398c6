import { JoinWindows } from '../../join-windows.js';
import type { ForeignKeyJoinOptions, Joined, StreamJoined } from '../../joined.js';
import type { KStream } from '../../k-stream.js';
import type { KTable } from '../../k-table.js';
import type { NamedOptions, TableOperatorOptions } from '../../options.js';
import { joinOnForeignKey } from './foreign-key-join/foreign-key-join.js';
import { GlobalKTableImpl } from '../global-k-table-impl.js';
import { KStreamImpl } from '../k-stream-impl.js';
import type { KTableImpl } from '../k-table-impl.js';
import { joinStreamGlobalTable } from './stream-global-table-join-builder.js';
import { joinStreams } from './stream-stream-join-builder.js';
import { joinStreamTable } from './stream-table-join-builder.js';
import { joinTables } from './table-table-join-builder.js';

/**
 * @internal Routes `KStream.join/leftJoin/outerJoin` to the join its arguments describe: a
 * GlobalKTable, a stream with JoinWindows, or a table.
 */
export function streamJoin(stream: KStreamImpl<unknown, unknown>, kind: 'inner' | 'left' | 'outer', args: readonly unknown[]): KStream<unknown, unknown> {
  const [other, second, third, fourth] = args;
  if (other instanceof GlobalKTableImpl) {
    if (kind === 'outer') throw new TypeError('a stream cannot be outer-joined with a GlobalKTable');
    return joinStreamGlobalTable(stream, other, second as never, third as never, { leftJoin: kind === 'left', options: fourth as NamedOptions | undefined });
  }
  if (third instanceof JoinWindows) {
    return joinStreams(stream, other as KStream<unknown, unknown>, second as never, {
      kind,
      windows: third,
      joined: fourth as StreamJoined<unknown, unknown, unknown> | undefined,
    });
  }
  if (kind === 'outer') throw new TypeError('outerJoin needs a KStream and JoinWindows (a stream cannot be outer-joined with a table)');
  if (other instanceof KStreamImpl) throw new TypeError('a stream-stream join needs JoinWindows as its third argument');
  return joinStreamTable(stream, other as KTable<unknown, unknown>, second as never, { leftJoin: kind === 'left', joined: third as Joined<unknown, unknown> | undefined });
}

/** @internal Routes `KTable.join/leftJoin/outerJoin`: a function third argument means a foreign-key join. */
export function tableJoin(table: KTableImpl<unknown, unknown>, kind: 'inner' | 'left' | 'outer', args: readonly unknown[]): KTable<unknown, unknown> {
  const [other, second, third, fourth] = args;
  if (typeof third === 'function') {
    if (kind === 'outer') throw new TypeError('a foreign-key join cannot be an outer join');
    return joinOnForeignKey(table, other as KTable<unknown, unknown>, second as never, third as never, {
      leftJoin: kind === 'left',
      options: fourth as ForeignKeyJoinOptions<unknown, unknown, unknown, unknown, unknown> | undefined,
    });
  }
  if (typeof second !== 'function') throw new TypeError('the joiner must be a function');
  const joiner = second as (l: unknown, r: unknown) => unknown;
  return joinTables(table, other as KTable<unknown, unknown>, joiner, { kind, options: third as TableOperatorOptions<unknown, unknown> | undefined });
}
