/** The summary `parley import airy` prints: a table per Airy topic, totals, and the reasons records were left out. */
import type { airyImport } from '@parley/runtime';
import type { CliIo } from '../io.js';
import { table } from '../text-table.js';

/** What happened to one Airy topic, from reading it (the runtime's report) to writing Parley's records. */
export interface TopicOutcome extends airyImport.AiryTopicReport {
  /** Parley records appended (or, in a dry run, that would be). */
  written: number;
  /** Planned records Parley already held, equal. */
  unchanged: number;
  /** Metadata Parley holds with a newer timestamp than Airy's: left as it is. */
  kept_newer: number;
}

/** A record that could not be read, mapped or written (partition -1: found by key, not by position). */
export type BadRecordLine = airyImport.BadRecord;

export interface ImportSummary {
  dry_run: boolean;
  topics: TopicOutcome[];
  totals: { records: number; written: number; unchanged: number; kept_newer: number; skipped: number; bad: number };
  /** The first BAD_RECORDS_SHOWN bad records with their positions (partition -1: found when mapping the latest version of a key). */
  bad_records: BadRecordLine[];
}

export const BAD_RECORDS_SHOWN = 100;

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

export function summarise(topics: TopicOutcome[], bad: readonly BadRecordLine[], dryRun: boolean): ImportSummary {
  const total = (pick: (t: TopicOutcome) => number) => topics.reduce((n, t) => n + pick(t), 0);
  return {
    dry_run: dryRun,
    topics,
    totals: {
      records: total((t) => t.records),
      written: total((t) => t.written),
      unchanged: total((t) => t.unchanged),
      kept_newer: total((t) => t.kept_newer),
      skipped: total((t) => sum(t.skipped)),
      bad: total((t) => sum(t.bad)),
    },
    bad_records: bad.slice(0, BAD_RECORDS_SHOWN),
  };
}

export function printSummary(summary: ImportSummary, io: CliIo): void {
  const rows = summary.topics.map((t) =>
    t.present
      ? [t.topic, String(t.records), String(t.latest), String(t.written), String(t.unchanged + t.kept_newer), String(sum(t.skipped)), String(sum(t.bad))]
      : [t.topic, '-', '-', '-', '-', '-', '-'],
  );
  io.stdout(table([['AIRY TOPIC', 'RECORDS', 'LATEST', summary.dry_run ? 'TO WRITE' : 'WRITTEN', 'ALREADY THERE', 'SKIPPED', 'BAD'], ...rows]));
  const { totals } = summary;
  const verb = summary.dry_run ? 'would write' : 'wrote';
  io.stdout(`\n${verb} ${totals.written} Parley record${totals.written === 1 ? '' : 's'} from ${totals.records} Airy record${totals.records === 1 ? '' : 's'}; ${totals.unchanged + totals.kept_newer} already in Parley, ${totals.skipped} skipped, ${totals.bad} bad\n`);
  for (const [kind, pick] of [['skipped', (t: TopicOutcome) => t.skipped], ['bad', (t: TopicOutcome) => t.bad]] as const) {
    for (const t of summary.topics) for (const [reason, n] of Object.entries(pick(t))) io.stdout(`  ${kind}  ${n} × ${t.topic}: ${reason}\n`);
  }
  if (summary.bad_records.length > 0) {
    io.stdout('bad records (--json lists them with details):\n');
    for (const b of summary.bad_records.slice(0, 10)) io.stdout(`  ${b.topic} ${b.partition < 0 ? b.detail : `${b.partition}:${b.offset}`}  ${b.reason}\n`);
  }
}
