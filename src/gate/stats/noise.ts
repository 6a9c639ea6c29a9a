/**
 * The noise model: how far the current run's statistic may sit from the baseline by chance, on the log scale.
 *
 * Model. The log statistic of run j is yⱼ = μ + dⱼ + eⱼ, where dⱼ is run-to-run drift (machine, clocks, batching
 * state; standard deviation τ, shared by all runs) and eⱼ the run's own sampling noise over its requests (standard
 * error wⱼ, known from a bootstrap). The current run adds the effect δ we test for. Its distance from the history's
 * centre m̂ (the mean of k runs) has variance v = τ² + w꜀² + Var(m̂), where Var(m̂) = (τ² + w̄²)/k. Write
 * σ² = τ² + w̄² for the variance of one baseline run's statistic; then v = (σ² − w̄²) + w꜀² + σ²/k, so the current run
 * is judged by its own sampling noise w꜀, whatever its request count.
 *
 * σ² is estimated from two sources, weighed by their degrees of freedom:
 * - measured (once the history has `minHistoryRuns` runs; noise source "history"): runs that are outliers by a
 *   median/MAD screen ({@link screenOutliers}: a baseline run taken on a noisy machine) are set aside, and S², the
 *   sample variance of the k runs kept, floored at their mean sampling variance w̄² (runs cannot agree better than
 *   their own noise allows), carries k − 1 degrees of freedom;
 * - assumed: noiseFloor² + w̄², a drift of noiseFloor on top of the runs' own noise, carries the degrees of freedom
 *   the history lacks to reach noiseFloorRuns − 1. Below minHistoryRuns runs it is the only source (noise source
 *   "within-run+floor"); from noiseFloorRuns runs on the history alone decides.
 * The blend's degrees of freedom, max(k, noiseFloorRuns) − 1, go to Student's t for p-values and intervals.
 *
 * Why blend: Student's t with the 2–4 degrees of freedom of a 3–5-run history is so wide that, in the simulation
 * study, a 5-run history caught fewer regressions than a 2-run one resting on the assumed floor; letting the floor
 * stand in for the missing runs makes power grow steadily with the history, while unchanged scenarios still FAIL
 * at most 1% of the time as long as the true drift is no larger than the floor.
 *
 * Why a screened mean and SD rather than the median and MAD: with 5–20 runs the MAD has a third of the SD's
 * efficiency, so Student's t with k − 1 degrees of freedom understates its uncertainty (more false FAILs in the
 * study, no more power); the screen keeps what the MAD was for, since a single 30%-slow baseline run would otherwise
 * inflate the SD and blind the gate (with 10 runs, power at +30% fell from 97% to 22%; screened, it stays at 90%).
 */
import { mean, sampleStandardDeviation, screenOutliers } from './robust.js';

/** Where a comparison's noise estimate came from. */
export type NoiseSource = 'history' | 'within-run+floor';

/** One metric's numbers for a comparison, all on the natural-log scale. */
export interface LogComparisonInput {
  /** log statistic of the current run. */
  readonly current: number;
  /** Its within-run standard error. */
  readonly currentSE: number;
  /** log statistic of each baseline run (at least one). */
  readonly history: readonly number[];
  /** Within-run standard error of each baseline run, aligned with `history`. */
  readonly historySE: readonly number[];
  /** Runs needed before their spread is measured. */
  readonly minHistoryRuns: number;
  /** Assumed run-to-run drift (standard deviation of the log statistic beyond sampling noise). */
  readonly noiseFloor: number;
  /** Runs' worth of evidence the assumed drift carries (at least minHistoryRuns). */
  readonly noiseFloorRuns: number;
}

export interface LogComparison {
  /** log of the baseline value (the history's centre). */
  readonly centre: number;
  /** current − centre: the log of the ratio current ÷ baseline. */
  readonly difference: number;
  /** Standard error of `difference`. */
  readonly se: number;
  /** Degrees of freedom for Student's t. */
  readonly df: number;
  /** Run-to-run standard deviation of the log statistic measured from the history; null when not measured. */
  readonly spread: number | null;
  /** Baseline runs used. */
  readonly runs: number;
  /** Baseline runs set aside as outliers. */
  readonly outliers: number;
  readonly noiseSource: NoiseSource;
}

function meanSquare(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v * v, 0) / values.length;
}

/** Compares the current run's log statistic with the history's (see the module comment for the model). */
export function compareLog(input: LogComparisonInput): LogComparison {
  const { current, currentSE, history, historySE, minHistoryRuns, noiseFloor, noiseFloorRuns } = input;
  if (history.length === 0) throw new RangeError('compareLog needs at least one baseline run');
  if (historySE.length !== history.length) {
    throw new RangeError(`compareLog: ${history.length} baseline values but ${historySE.length} errors`);
  }
  if (!(noiseFloorRuns >= minHistoryRuns)) {
    throw new RangeError(`compareLog: noiseFloorRuns (${noiseFloorRuns}) must be at least minHistoryRuns`);
  }
  const measured = history.length >= minHistoryRuns;
  const kept = measured ? screenOutliers(history) : history.map((_, i) => i);
  const values = kept.map((i) => history[i] as number);
  const k = values.length;
  const withinVariance = meanSquare(kept.map((i) => historySE[i] as number));
  const centre = mean(values);
  const measuredDf = measured ? k - 1 : 0;
  const assumedDf = Math.max(0, noiseFloorRuns - 1 - measuredDf);
  const observed = measured ? Math.max(sampleStandardDeviation(values) ** 2, withinVariance) : 0;
  const assumed = noiseFloor ** 2 + withinVariance;
  const df = measuredDf + assumedDf;
  const total = (measuredDf * observed + assumedDf * assumed) / df;
  return {
    centre,
    difference: current - centre,
    se: Math.sqrt(total - withinVariance + currentSE ** 2 + total / k),
    df,
    spread: measured ? Math.sqrt(observed) : null,
    runs: k,
    outliers: history.length - k,
    noiseSource: measured ? 'history' : 'within-run+floor',
  };
}
