/**
 * What the gate reads about runs: the current run's per-request samples, and the compact form a baseline keeps of
 * each accepted run. The layer above adapts results files to these shapes; nothing here reads or writes files.
 */
import type { MetricId } from '../../metrics/definitions.js';
import type { ErrorCount } from './proportions.js';
import { roundSignificant, summarizeDistribution, type DistributionSummary } from './summary.js';

/**
 * The per-request parts of a closed-loop run's output throughput. Output throughput (Σ output tokens ÷ window) is,
 * by Little's law, concurrency × Σ outputTokens ÷ Σ busyMs over the requests that kept the slots busy, so its
 * sampling noise is that of the ratio estimator Σ outputTokens ÷ Σ busyMs over requests (see {@link ratioLogSE}).
 * One entry per measured request, ok or failed (a failed request held its slot but produced 0 counted tokens).
 */
export interface ThroughputSample {
  /** The run's output throughput as reported (tokens/s): the point estimate the gate compares. */
  readonly value: number;
  /** Output tokens counted for each measured request (0 for failed ones). */
  readonly outputTokens: ArrayLike<number>;
  /** Time each measured request held its slot: endMs − sentMs. */
  readonly busyMs: ArrayLike<number>;
}

/** The run being gated. */
export interface CurrentRun {
  /** Per-request values of the measured ok requests, by metric id (the gated ones at least). */
  readonly samples: Partial<Record<MetricId, ArrayLike<number>>>;
  readonly throughput?: ThroughputSample;
  readonly errors?: ErrorCount;
}

/**
 * A baseline run's throughput: the value and the standard error of its natural log from the run's own requests.
 * The error is stored because a throughput has no per-request distribution to recompute it from.
 */
export interface ThroughputSummary {
  readonly value: number;
  readonly logSe: number;
}

/**
 * One accepted run as a baseline history keeps it (about 1.7 KB of compact JSON with six metric distributions). Latency
 * statistics' sampling noise is recomputed from the distributions (bootstrap of {@link sampleFromSummary}), so
 * gating a new statistic later (say p99) needs no new field.
 */
export interface BaselineRun {
  readonly distributions: Partial<Record<MetricId, DistributionSummary>>;
  readonly throughput?: ThroughputSummary;
  readonly errors?: ErrorCount;
}

/**
 * Standard error of log(Σ numerator ÷ Σ denominator) over the paired entries, by linearisation (the delta method
 * for a ratio estimator, Cochran 1977 §6.3): with dᵢ = numeratorᵢ/mean(numerator) − denominatorᵢ/mean(denominator),
 * SE² = Σ dᵢ² ÷ (n (n − 1)). It equals the bootstrap standard error of the ratio to within a few percent for n ≥ 50
 * (test/gate/runs.test.ts compares them) at O(n) cost and with no random numbers. NaN for fewer than 2 entries or
 * non-positive sums.
 */
export function ratioLogSE(numerator: ArrayLike<number>, denominator: ArrayLike<number>): number {
  const n = numerator.length;
  if (denominator.length !== n)
    throw new RangeError(`ratio: ${n} numerators but ${denominator.length} denominators`);
  let top = 0;
  let bottom = 0;
  for (let i = 0; i < n; i++) {
    top += numerator[i] as number;
    bottom += denominator[i] as number;
  }
  if (n < 2 || !(top > 0) || !(bottom > 0)) return NaN;
  const topMean = top / n;
  const bottomMean = bottom / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    squares += ((numerator[i] as number) / topMean - (denominator[i] as number) / bottomMean) ** 2;
  }
  return Math.sqrt(squares / (n * (n - 1)));
}

/**
 * The baseline form of a run: a distribution summary of every per-request metric with values, the throughput with
 * its log standard error (left out when the throughput or its error is not a positive finite number), and the error
 * count.
 */
export function summarizeRun(run: CurrentRun): BaselineRun {
  const distributions: Partial<Record<MetricId, DistributionSummary>> = {};
  for (const [metric, values] of Object.entries(run.samples) as [MetricId, ArrayLike<number> | undefined][]) {
    if (values !== undefined && values.length > 0) distributions[metric] = summarizeDistribution(values);
  }
  const { throughput, errors } = run;
  const logSe = throughput === undefined ? NaN : ratioLogSE(throughput.outputTokens, throughput.busyMs);
  return {
    distributions,
    ...(throughput !== undefined && throughput.value > 0 && Number.isFinite(logSe)
      ? { throughput: { value: roundSignificant(throughput.value), logSe: roundSignificant(logSe) } }
      : {}),
    ...(errors === undefined ? {} : { errors: { errors: errors.errors, total: errors.total } }),
  };
}
