import type { KStream } from './k-stream.js';

/**
 * One branch of `KStream.split()` (Kafka's `Branched`). `name` completes the branch's key in the
 * result map (`<split name><branch name>`; default the branch's 1-based position, 0 for the
 * default branch). `chain` transforms the branch: its result replaces the branch in the map,
 * and when it returns nothing the branch is left out of the map (Kafka's `withConsumer`).
 */
export interface Branched<TKey, TValue> {
  name?: string;
  chain?: (branch: KStream<TKey, TValue>) => KStream<TKey, TValue> | void;
}

export const Branched = {
  as<TKey, TValue>(name: string): Branched<TKey, TValue> {
    return { name };
  },
  withFunction<TKey, TValue>(chain: (branch: KStream<TKey, TValue>) => KStream<TKey, TValue>, name?: string): Branched<TKey, TValue> {
    return name === undefined ? { chain } : { chain, name };
  },
  withConsumer<TKey, TValue>(consumer: (branch: KStream<TKey, TValue>) => void, name?: string): Branched<TKey, TValue> {
    const chain = (branch: KStream<TKey, TValue>): void => consumer(branch);
    return name === undefined ? { chain } : { chain, name };
  },
} as const;
