/** One figure of a benchmark run, as written to bench/results/latest.json. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** What was measured, for the table and docs/benchmarks.md. */
  note?: string;
}

/** A group of related benchmarks; runs in one process and returns its figures. */
export interface BenchSuite {
  name: string;
  run(): Promise<BenchResult[]>;
}
