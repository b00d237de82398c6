import type { Log } from '@parley/streams';
import { decodeEvent, type WebhookEvent } from './webhook-events.js';
import { WEBHOOKS_TOPICS } from './webhooks-topics.js';

/** A range of `webhooks.events`: offsets (inclusive) or logged times in ms (inclusive). */
export type ReplayRange = { fromOffset: number; toOffset?: number } | { since: number; until?: number };

/** An event with its offset in `webhooks.events` (the realtime socket's cursor). */
export interface LoggedEvent {
  offset: number;
  event: WebhookEvent;
}

/** The events of a range still in the log, in order, at most `limit`. */
export async function readEvents(log: Log, range: ReplayRange, limit: number): Promise<LoggedEvent[]> {
  const tp = { topic: WEBHOOKS_TOPICS.events, partition: 0 };
  const end = await log.endOffset(tp);
  let from: number;
  let to: number; // exclusive
  if ('fromOffset' in range) {
    from = range.fromOffset;
    to = Math.min(end, range.toOffset === undefined ? end : range.toOffset + 1);
  } else {
    from = await log.offsetForTimestamp(tp, range.since);
    to = range.until === undefined ? end : await log.offsetForTimestamp(tp, range.until + 1);
  }
  from = Math.max(from, await log.beginningOffset(tp));
  const out: LoggedEvent[] = [];
  while (from < to && out.length < limit) {
    const records = await log.read(tp, from, { maxRecords: Math.min(1000, limit - out.length) });
    if (records.length === 0) break;
    for (const r of records) {
      if (r.offset >= to || out.length >= limit) break;
      if (r.value !== null) out.push({ offset: r.offset, event: decodeEvent(r.value) });
    }
    from = records.at(-1)!.offset + 1;
  }
  return out;
}
