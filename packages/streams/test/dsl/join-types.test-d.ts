/**
 * Type tests for the join generics, checked by `tsc -p packages/streams/tsconfig.test.json` (not
 * run by mocha). Each `@ts-expect-error` line must fail to compile.
 */
import type { GlobalKTable } from '../../src/dsl/global-k-table.js';
import { JoinWindows } from '../../src/dsl/join-windows.js';
import type { KStream } from '../../src/dsl/k-stream.js';
import type { KTable } from '../../src/dsl/k-table.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import { Serdes } from '../../src/serde/serdes.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertEqual<A, B>(_proof: Equal<A, B>): void {}

const builder = new StreamsBuilder();
const str = Serdes.string();
const int = Serdes.int32();
const orders = builder.stream('orders', { keySerde: str, valueSerde: Serdes.json<{ customer: string; amount: number }>() });
const customers = builder.table('customers', { keySerde: str, valueSerde: str });
const countries = builder.globalTable('countries', { keySerde: str, valueSerde: str });
const payments = builder.stream('payments', { keySerde: str, valueSerde: int });
const byNumber = builder.table('numbers', { keySerde: int, valueSerde: str });

assertEqual<typeof countries, GlobalKTable<string, string>>(true);

// Stream-table: inner joiners see the table value, left joiners may see null.
const enriched = orders.join(customers, (order, name) => `${name.toUpperCase()} ${order.amount}`);
assertEqual<typeof enriched, KStream<string, string>>(true);
const maybe = orders.leftJoin(customers, (order, name) => ({ amount: order.amount, name }));
assertEqual<typeof maybe, KStream<string, { amount: number; name: string | null }>>(true);
// @ts-expect-error a left join's table value may be null
orders.leftJoin(customers, (_order, name) => name.toUpperCase());
// @ts-expect-error the table's key type must be the stream's
orders.join(byNumber, (o, n) => `${o.amount}${n}`);

// Stream-global table: the key selector maps into the table's key space.
const located = orders.join(countries, (_k, order) => order.customer, (order, country) => `${order.amount} in ${country}`);
assertEqual<typeof located, KStream<string, string>>(true);
const anywhere = orders.leftJoin(countries, (_k, o) => o.customer, (_o, country) => country);
assertEqual<typeof anywhere, KStream<string, string | null>>(true);

// Stream-stream: windows decide the overload; outer joiners see null on both sides.
const windows = JoinWindows.ofTimeDifferenceAndGrace(1000, 100);
const paid = orders.join(payments, (order, amount) => order.amount === amount, windows);
assertEqual<typeof paid, KStream<string, boolean>>(true);
const either = orders.outerJoin(payments, (order, amount) => [order?.amount ?? 0, amount ?? 0] as const, windows);
assertEqual<typeof either, KStream<string, readonly [number, number]>>(true);
// @ts-expect-error an outer join's own value may be null
orders.outerJoin(payments, (order, amount) => order.amount + (amount ?? 0), windows);

// Table-table and foreign-key joins.
const totals = builder.table('totals', { keySerde: str, valueSerde: int });
const both = customers.outerJoin(totals, (name, total) => `${name ?? '?'}:${total ?? 0}`);
assertEqual<typeof both, KTable<string, string>>(true);
const accounts = builder.table('accounts', { keySerde: str, valueSerde: Serdes.json<{ owner: number }>() });
const owners = accounts.leftJoin(byNumber, (a) => a.owner, (account, owner) => `${account.owner}=${owner ?? '?'}`);
assertEqual<typeof owners, KTable<string, string>>(true);
// @ts-expect-error the foreign key must have the other table's key type
accounts.join(byNumber, (a) => String(a.owner), (a, o) => `${a.owner}${o}`);
