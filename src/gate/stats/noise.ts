/**
 * The noise model: how far the current run's statistic may sit from the baseline by chance, on the log scale.
 *
 * Model. The log statistic of run j is yⱼ = μ + dⱼ + eⱼ, where dⱼ is run-to-run drift (machine, clocks, batching
 * state; standard deviation τ, shared by all runs) and eⱼ the run's own sampling noise over its requests (standard
 * error wⱼ, known from a bootstrap). The current run adds the effect δ we test for. Its distance from the history's
 * centre m̂ (the mean of the k runs kept) has variance
 *
 *   v = w꜀² + τ²·(1 + 1/k) + w̄²/k,   with w̄² the mean of the kept runs' wⱼ²:
 *
 * the current run's within-run noise, its own drift and the centre's drift, and the centre's within-run noise.
 *
 * Estimating τ² (once the history has `minHistoryRuns` runs; noise source "history"): runs that are outliers by an
 * extreme-studentized-deviate screen ({@link screenOutliers}: a baseline run taken on a noisy machine) are set
 * aside, and the sample variance S² of the k runs kept, whose expectation is τ² + w̄², gives τ̂² = max(0, σ̂² − w̄²),
 * where σ̂² is S² pooled with ν₀ = `noiseFloorRuns` pseudo-runs of variance noiseFloor² + w̄² (a weak prior that the
 * drift is about noiseFloor): σ̂² = (ν₀·(noiseFloor² + w̄²) + (k − 1)·S²) / (ν₀ + k − 1), on ν = ν₀ + k − 1 degrees
 * of freedom. The within-run
 * parts are known (bootstrap standard errors); the estimated part of v is (1 + 1/k)·σ̂², since
 * v̂ = (1 + 1/k)·σ̂² + w꜀² − w̄² when σ̂² ≥ w̄². Satterthwaite's effective degrees of freedom of v̂ are then
 * ν·(v̂ / ((1 + 1/k)·σ̂²))², and Student's t at those degrees of freedom gives p-values and intervals. When the runs
 * agree better than their own sampling noise allows (σ̂² < w̄²), τ̂² is 0, v̂ is the within-run part alone and the
 * degrees of freedom grow accordingly.
 *
 * Why ν counts S² and not τ̂² alone: S² of a few runs is mostly their within-run noise when the drift is small, and
 * its relative error, √(2/(k − 1)), is that of the whole S², not of the drift part. Giving τ̂² alone the k − 1
 * degrees of freedom (so that a small τ̂² makes v̂ look exactly known) made p50 TTFT alone FAIL 1.2–2.5% of unchanged
 * runs at 5% drift with 3–10-run histories (alpha 0.02, integrating over S²'s χ² distribution), where Holm's first
 * step allows 0.5%; the test above, with the default quarter-run prior, stays within it.
 *
 * Short histories (fewer than `minHistoryRuns` runs; noise source "within-run+floor"): the spread of one or two runs
 * says little, so τ is assumed to be `noiseFloor` (a drift at the high end of what is expected) and taken as known:
 * v = w꜀² + noiseFloor²·(1 + 1/k) + w̄²/k, with normal quantiles.
 *
 * Why a screened mean and SD rather than the median and MAD: with 5–20 runs the MAD has a third of the SD's
 * efficiency, so Student's t with k − 1 degrees of freedom understates its uncertainty; the screen keeps what the MAD
 * was for, since a single 30%-slow baseline run would otherwise inflate the SD and blind the gate.
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
  /** Drift assumed below minHistoryRuns runs (standard deviation of the log statistic beyond sampling noise). */
  readonly noiseFloor: number;
  /** Pseudo-runs' worth of degrees of freedom the assumed drift adds, as a prior, to a measured history (0: none). */
  readonly noiseFloorRuns: number;
}

export interface LogComparison {
  /** log of the baseline value (the history's centre). */
  readonly centre: number;
  /** current − centre: the log of the ratio current ÷ baseline. */
  readonly difference: number;
  /** Standard error of `difference`. */
  readonly se: number;
  /** Degrees of freedom for Student's t (Infinity: the normal distribution). */
  readonly df: number;
  /** Run-to-run standard deviation of the log statistic measured from the history (√S²); null when not measured. */
  readonly spread: number | null;
  /** Run-to-run drift used (τ̂, or noiseFloor for a short history), beyond the runs' own sampling noise. */
  readonly drift: number;
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
  const measured = history.length >= minHistoryRuns;
  const kept = measured ? screenOutliers(history) : history.map((_, i) => i);
  const values = kept.map((i) => history[i] as number);
  const k = values.length;
  const within = meanSquare(kept.map((i) => historySE[i] as number));
  const centre = mean(values);
  const inflation = 1 + 1 / k;
  const known = currentSE ** 2 + within / k;
  const base = { centre, difference: current - centre, runs: k, outliers: history.length - k };
  if (!measured) {
    return {
      ...base,
      se: Math.sqrt(known + inflation * noiseFloor ** 2),
      df: Infinity,
      spread: null,
      drift: noiseFloor,
      noiseSource: 'within-run+floor',
    };
  }
  const spread2 = sampleStandardDeviation(values) ** 2;
  const df = noiseFloorRuns + k - 1;
  const pooled = (noiseFloorRuns * (noiseFloor ** 2 + within) + (k - 1) * spread2) / df;
  const drift2 = Math.max(0, pooled - within);
  const variance = known + inflation * drift2;
  const estimated = inflation * pooled;
  return {
    ...base,
    se: Math.sqrt(variance),
    df: estimated > 0 ? df * (variance / estimated) ** 2 : Infinity,
    spread: Math.sqrt(Math.max(spread2, within)),
    drift: Math.sqrt(drift2),
    noiseSource: 'history',
  };
}
