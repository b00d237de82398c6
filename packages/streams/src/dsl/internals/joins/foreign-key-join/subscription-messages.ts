import { createHash } from 'node:crypto';
import { readStart, writeStart } from '../../../../state/internals/window-key.js';

/**
 * What a left-table update asks of the foreign key's partition (Kafka's `SubscriptionWrapper`
 * instructions).
 */
export enum Instruction {
  /** The left row moved to another foreign key: forget it here, answer nothing. */
  DeleteKeyNoPropagate = 0,
  /** The left row is gone (or has no foreign key any more): forget it and answer with null. */
  DeleteKeyAndPropagate = 1,
  /** Remember the left row and answer with the right value, or null when there is none. */
  PropagateNullIfNoFkValAvailable = 2,
  /** Remember the left row and answer only when there is a right value (a new inner-join row). */
  PropagateOnlyIfFkValAvailable = 3,
}

/**
 * Wire formats of the foreign-key join's internal topics and subscription store (all integers
 * big-endian). Keys travel as the tables' serialized keys, so the default partitioner sends a
 * subscription to the partition of its foreign key and a response to the partition of its left key.
 *
 *   subscription (value of `...-SUBSCRIPTION-REGISTRATION-<n>-topic`, key = foreign key bytes):
 *     [ instruction: 1 ][ hash length: 1 (0 or 16) ][ hash ][ left key bytes ]
 *   response (value of `...-SUBSCRIPTION-RESPONSE-<n>-topic`, key = left key bytes):
 *     [ hash length: 1 ][ hash ][ has value: 1 ][ right value bytes ]
 *   subscription store entry: key = [ foreign key length: 4 ][ foreign key ][ left key ],
 *     value = [ left timestamp: 8 ][ hash ]
 *
 * The hash is the MD5 of the left value's serialized bytes (absent for a deleted row): a response
 * computed for an older left value no longer matches and is dropped as stale.
 */
export interface Subscription {
  readonly instruction: Instruction;
  readonly hash: Buffer | null;
  readonly leftKey: Buffer;
}

export interface SubscriptionResponse {
  readonly hash: Buffer | null;
  readonly rightValue: Buffer | null;
}

const EMPTY = Buffer.alloc(0);

export function valueHash(serialized: Buffer | null): Buffer | null {
  return serialized === null ? null : createHash('md5').update(serialized).digest();
}

export function sameHash(a: Buffer | null, b: Buffer | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

export function encodeSubscription(s: Subscription): Buffer {
  const hash = s.hash ?? EMPTY;
  return Buffer.concat([Buffer.from([s.instruction, hash.length]), hash, s.leftKey]);
}

export function decodeSubscription(bytes: Buffer): Subscription {
  const hashLength = bytes[1]!;
  return {
    instruction: bytes[0] as Instruction,
    hash: hashLength === 0 ? null : bytes.subarray(2, 2 + hashLength),
    leftKey: bytes.subarray(2 + hashLength),
  };
}

export function encodeResponse(r: SubscriptionResponse): Buffer {
  const hash = r.hash ?? EMPTY;
  return Buffer.concat([Buffer.from([hash.length]), hash, Buffer.from([r.rightValue === null ? 0 : 1]), r.rightValue ?? EMPTY]);
}

export function decodeResponse(bytes: Buffer): SubscriptionResponse {
  const hashLength = bytes[0]!;
  const hasValue = bytes[1 + hashLength] === 1;
  return {
    hash: hashLength === 0 ? null : bytes.subarray(1, 1 + hashLength),
    rightValue: hasValue ? bytes.subarray(2 + hashLength) : null,
  };
}

/** The subscription store key prefix of every left row referencing `foreignKey`. */
export function subscriptionPrefix(foreignKey: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + foreignKey.length);
  out.writeUInt32BE(foreignKey.length, 0);
  foreignKey.copy(out, 4);
  return out;
}

export function subscriptionKey(foreignKey: Buffer, leftKey: Buffer): Buffer {
  return Buffer.concat([subscriptionPrefix(foreignKey), leftKey]);
}

export function leftKeyOf(storedKey: Buffer): Buffer {
  return storedKey.subarray(4 + storedKey.readUInt32BE(0));
}

export function encodeStoredSubscription(timestamp: number, hash: Buffer | null): Buffer {
  const out = Buffer.allocUnsafe(8 + (hash?.length ?? 0));
  writeStart(out, 0, Math.max(0, timestamp));
  hash?.copy(out, 8);
  return out;
}

export function decodeStoredSubscription(bytes: Buffer): { timestamp: number; hash: Buffer | null } {
  return { timestamp: readStart(bytes, 0), hash: bytes.length > 8 ? bytes.subarray(8) : null };
}
