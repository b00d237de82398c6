/**
 * Type tests for the DSL generics, checked by `tsc -p packages/streams/tsconfig.test.json`
 * (not run by mocha). Each `@ts-expect-error` line must fail to compile; `assertType` lines must
 * compile with exactly the stated type.
 */
import type { KStream } from '../../src/dsl/k-stream.js';
import type { KTable } from '../../src/dsl/k-table.js';
import { StreamsBuilder } from '../../src/dsl/streams-builder.js';
import type { ProcessorContext } from '../../src/processor/processor-context.js';
import { Serdes } from '../../src/serde/serdes.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T>(_value: T): void {}
function assertEqual<A, B>(_proof: Equal<A, B>): void {}

const builder = new StreamsBuilder();
const str = Serdes.string();
const int = Serdes.int32();
const json = Serdes.json<{ id: string; amount: number }>();

// Sources take their types from the serdes.
const orders = builder.stream('orders', { keySerde: str, valueSerde: json });
assertEqual<typeof orders, KStream<string, { id: string; amount: number }>>(true);

// mapValues infers the new value type; the key stays.
const amounts = orders.mapValues((order) => order.amount);
assertEqual<typeof amounts, KStream<string, number>>(true);

// map and flatMap infer both types from a [key, value] pair, without `as const`.
const byId = orders.map((_k, order) => [order.id, order.amount]);
assertEqual<typeof byId, KStream<string, number>>(true);
const exploded = orders.flatMap((k, order) => [[k.length, order.id]]);
assertEqual<typeof exploded, KStream<number, string>>(true);
assertEqual<ReturnType<typeof orders.flatMapValues<boolean>>, KStream<string, boolean>>(true);

// selectKey changes only the key; filter changes nothing.
assertEqual<ReturnType<typeof orders.selectKey<number>>, KStream<number, { id: string; amount: number }>>(true);
assertEqual<typeof orders, ReturnType<typeof orders.filter>>(true);

// A serde of the wrong type is a compile error.
// @ts-expect-error the value is a number, not a string
amounts.to('amounts', { valueSerde: str });
amounts.to('amounts', { valueSerde: int });
// @ts-expect-error the key is a string, not a number
amounts.to('amounts', { keySerde: int });
// @ts-expect-error a source's serdes are required
builder.stream('orders', { keySerde: str });

// Predicates and mappers see the right types.
// @ts-expect-error amount is a number
orders.filter((_k, order) => order.amount.startsWith('x'));

// Tables: toStream carries tombstones as null; toTable drops null from the value type.
const table = amounts.toTable();
assertEqual<typeof table, KTable<string, number>>(true);
const changes = table.toStream();
assertEqual<typeof changes, KStream<string, number | null>>(true);
assertEqual<ReturnType<typeof changes.toTable>, KTable<string, number>>(true);
assertEqual<ReturnType<typeof table.mapValues<string>>, KTable<string, string>>(true);
// @ts-expect-error a materialized mapValues needs a serde of the new value type
table.mapValues((n) => `${n}`, { materialized: { valueSerde: int } });

// split branches keep the stream's types.
const branches = orders.split().branch((_k, o) => o.amount > 0).defaultBranch();
assertType<Record<string, KStream<string, { id: string; amount: number }>>>(branches);

// process: the output types come from the processor; forwarding anything else is an error.
const processed = orders.process<string, number>(() => {
  let context: ProcessorContext<string, number>;
  return {
    init: (c) => void (context = c),
    process: (record) => {
      assertType<{ id: string; amount: number }>(record.value);
      context.forward({ ...record, value: record.value.amount });
      // @ts-expect-error the processor forwards numbers
      context.forward({ ...record, value: 'text' });
    },
  };
});
assertEqual<typeof processed, KStream<string, number>>(true);

// processValues keeps the key type.
const labelled = orders.processValues<string>(() => ({ process: () => undefined }));
assertEqual<typeof labelled, KStream<string, string>>(true);

// merge needs the same types.
// @ts-expect-error a KStream<string, number> cannot merge into a KStream<string, order>
orders.merge(amounts);
