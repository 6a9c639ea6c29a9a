/**
 * The shape every benchmark section shares: what it is told (the run options and where the bundled script is) and
 * what it hands back (tables to print, figures for the JSON file, targets with their verdicts).
 */

/** What a section gets from the runner. */
export interface SectionContext {
  /** `--quick`: a CI smoke run, fewer and shorter repetitions. */
  readonly quick: boolean;
  /** Repetitions of each measurement; sections report the median over them. */
  readonly reps: number;
  /** Path of the running bundled script (build/bench.js), for sections that spawn helper processes from it. */
  readonly benchFile: string;
  /** A progress line on stderr (stdout holds only the report). */
  log(message: string): void;
}

/** One printed table: `head` names the columns, every row has as many cells. */
export interface ReportTable {
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per column: 'l' or 'r' (default: first column left, the others right). */
  readonly align?: readonly ('l' | 'r')[];
}

/** A performance target from the issue and whether this run met it. */
export interface TargetCheck {
  /** What is compared, e.g. "TTFT overhead p99 at concurrency 64". */
  readonly figure: string;
  readonly value: number;
  readonly unit: string;
  readonly op: '<=' | '>=';
  readonly limit: number;
  readonly met: boolean;
}

/** Everything one section measured. */
export interface SectionReport {
  readonly tables: readonly ReportTable[];
  /** Sentences printed under the tables: what the figures include, what limits them. */
  readonly notes: readonly string[];
  /** Machine-readable figures for `--json` (medians and every repetition's values). */
  readonly figures: Readonly<Record<string, unknown>>;
  readonly targets: readonly TargetCheck[];
}

/** One section of `npm run bench`. */
export interface BenchSection {
  /** Short id used by `--only` and as the key in the JSON file. */
  readonly id: string;
  readonly title: string;
  /** One sentence: what is measured and against what. */
  readonly summary: string;
  run(context: SectionContext): Promise<SectionReport>;
}

/** Build a target check. */
export function target(
  figure: string,
  value: number,
  unit: string,
  op: '<=' | '>=',
  limit: number,
): TargetCheck {
  return { figure, value, unit, op, limit, met: op === '<=' ? value <= limit : value >= limit };
}
