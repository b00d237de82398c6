/**
 * Type tests for grouping, aggregation and windowing generics, checked by
 * `tsc -p packages/streams/tsconfig.test.json` (not run by mocha). Each `@ts-expect-error` line
 * must fail to compile; `assertEqual` lines must compile with exactly the stated type.
 */
import type { KGroupedStream } from '../../src/dsl/k-grouped-stream.js';
import type { KGroupedTable } from '../../src/dsl/k-grouped-table.js';
import type { KTable } from '../../src/dsl/k-table.js';
import type { SessionWindowedKStream } from '../../src/dsl/session-windowed-k-stream.js';
import { SessionWindows } from '../../src/dsl/session-windows.js';
import { SlidingWindows } from '../../src/dsl/sliding-windows.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import type { TimeWindowedKStream } from '../../src/dsl/time-windowed-k-stream.js';
import { TimeWindows } from '../../src/dsl/time-windows.js';
import type { Windowed } from '../../src/dsl/windowed.js';
import { Serdes } from '../../src/serde/serdes.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertEqual<A, B>(_proof: Equal<A, B>): void {}

const builder = new StreamsBuilder();
const str = Serdes.string();
const json = Serdes.json<{ region: string; amount: number }>();
const orders = builder.stream('orders', { keySerde: str, valueSerde: json });

// groupByKey keeps the types; groupBy takes the key type from the selector.
assertEqual<ReturnType<typeof orders.groupByKey>, KGroupedStream<string, { region: string; amount: number }>>(true);
const byRegion = orders.groupBy((_k, order) => order.region, { keySerde: str });
assertEqual<typeof byRegion, KGroupedStream<string, { region: string; amount: number }>>(true);
// @ts-expect-error the Grouped key serde must match the selected key type
orders.groupBy((_k, order) => order.amount, { keySerde: str });

// count is a number; aggregate infers the aggregate type from the initializer.
assertEqual<ReturnType<typeof byRegion.count>, KTable<string, number>>(true);
const totals = byRegion.aggregate(() => 0, (_k, order, sum) => sum + order.amount, { materialized: { valueSerde: Serdes.long() } });
assertEqual<typeof totals, KTable<string, number>>(true);
// @ts-expect-error the aggregator must return the aggregate type
byRegion.aggregate(() => 0, (_k, order) => order.region, { materialized: { valueSerde: Serdes.long() } });
// @ts-expect-error the reducer combines values of the stream's value type
byRegion.reduce((a, b) => a.amount + b.amount);

// windowedBy picks the windowed stream by the windows' kind; results are keyed by Windowed<K>.
const tumbling = byRegion.windowedBy(TimeWindows.ofSizeWithNoGrace(60_000));
assertEqual<typeof tumbling, TimeWindowedKStream<string, { region: string; amount: number }>>(true);
const sliding = byRegion.windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(10));
assertEqual<typeof sliding, TimeWindowedKStream<string, { region: string; amount: number }>>(true);
const sessions = byRegion.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(1000));
assertEqual<typeof sessions, SessionWindowedKStream<string, { region: string; amount: number }>>(true);
assertEqual<ReturnType<typeof tumbling.count>, KTable<Windowed<string>, number>>(true);
assertEqual<ReturnType<typeof sessions.emitStrategy>, SessionWindowedKStream<string, { region: string; amount: number }>>(true);
// @ts-expect-error emit strategies are 'onWindowUpdate' or 'onWindowClose'
tumbling.emitStrategy('onClose');

// KTable.groupBy infers the new key and value from a [key, value] pair, without `as const`.
const table = builder.table('users', { keySerde: str, valueSerde: json });
const regrouped = table.groupBy((_k, user) => [user.region, user.amount], { keySerde: str, valueSerde: Serdes.int32() });
assertEqual<typeof regrouped, KGroupedTable<string, number>>(true);
const summed = regrouped.aggregate(() => 0, (_k, v, sum) => sum + v, (_k, v, sum) => sum - v, { materialized: { valueSerde: Serdes.long() } });
assertEqual<typeof summed, KTable<string, number>>(true);
