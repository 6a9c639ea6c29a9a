/**
 * The compact distribution summary a baseline keeps for each gated per-request metric of each accepted run, from
 * which quantiles are recomputed and samples redrawn.
 *
 * Why a quantile grid and not a sketch (t-digest, DDSketch): a run is summarised once, after it ends, so a sketch's
 * strengths (streaming, merging) buy nothing, while a grid at fixed probabilities is readable and diffable as it
 * stands: `p50` is the run's median exactly as the report printed it (numpy's linear method), and a change shows as
 * a change of a named number. The grid is dense in the tails (p90 … p99.9) where latency gates look, keeps the
 * minimum and maximum so resampling stays within the observed range, and has every decile so the body of the
 * distribution, whose density sets the median's sampling noise, is kept. Between grid points the distribution
 * function is taken as linear (a piecewise-uniform density), which is what {@link quantileFromSummary} and
 * {@link sampleFromSummary} invert; interpolated quantiles of a lognormal (sigma 0.4) are then within 2% of the exact
 * ones, well inside the sampling noise of any run under a few thousand requests.
 *
 * Numbers are rounded to 4 significant digits: a relative error below 5·10⁻⁴, twenty times smaller than the smallest
 * run-to-run noise seen in practice (≈1%), and about 260 bytes of JSON per metric (19 quantiles, n and mean).
 */
import { mean as kahanMean } from 'simple-statistics';
import { z } from 'zod';
import { percentile } from '../../metrics/statistics.js';
import type { Rng } from './rng.js';

/** Percent levels of the summary grid, ascending; `p0` is the minimum and `p100` the maximum. */
export const SUMMARY_PERCENTS = [
  0, 1, 2.5, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 97.5, 99, 99.5, 99.9, 100,
] as const;

export type SummaryPercent = (typeof SUMMARY_PERCENTS)[number];
/** The key of one grid quantile: `p50`, `p97.5`, … */
export type QuantileKey = `p${SummaryPercent}`;

/** The key under which the quantile at `percent` (one of {@link SUMMARY_PERCENTS}) is stored. */
export function quantileKey(percent: SummaryPercent): QuantileKey {
  return `p${percent}`;
}

/**
 * One run's distribution of one per-request metric, e.g.
 * `{ "n": 200, "mean": 104.3, "p0": 38.12, "p1": 47.55, …, "p50": 99.87, …, "p100": 291.4 }`.
 * `n` is the number of values; every other number is rounded to 4 significant digits.
 */
export type DistributionSummary = { readonly n: number; readonly mean: number } & {
  readonly [K in QuantileKey]: number;
};

/** Significant digits kept in summaries. */
export const SUMMARY_DIGITS = 4;

/** `value` rounded to `digits` significant digits (4 by default). */
export function roundSignificant(value: number, digits = SUMMARY_DIGITS): number {
  return value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(digits));
}

/** Validator for a stored summary (used by whoever reads baseline files): finite numbers, non-decreasing quantiles. */
export const distributionSummarySchema = z
  .strictObject({
    n: z.number().int().positive(),
    mean: z.number(),
    ...(Object.fromEntries(SUMMARY_PERCENTS.map((p) => [quantileKey(p), z.number()])) as Record<
      QuantileKey,
      z.ZodNumber
    >),
  })
  .superRefine((summary, ctx) => {
    for (let i = 1; i < SUMMARY_PERCENTS.length; i++) {
      const previous = quantileKey(SUMMARY_PERCENTS[i - 1] as SummaryPercent);
      const key = quantileKey(SUMMARY_PERCENTS[i] as SummaryPercent);
      if (summary[key] < summary[previous]) {
        ctx.addIssue({ code: 'custom', message: `${key} is below ${previous}`, path: [key] });
      }
    }
  });

/**
 * The summary of `values` (any order, left as is): n, the mean and the grid quantiles by numpy's linear method,
 * rounded to 4 significant digits. Throws a RangeError when there are no values or one is not finite (naming it).
 */
export function summarizeDistribution(values: ArrayLike<number>): DistributionSummary {
  if (values.length === 0) throw new RangeError('cannot summarize an empty list of values');
  const sorted = Float64Array.from(values);
  for (let i = 0; i < sorted.length; i++) {
    const value = sorted[i] as number;
    if (!Number.isFinite(value))
      throw new RangeError(`value ${i} is ${value}; only finite numbers can be summarized`);
  }
  sorted.sort();
  const summary: Record<string, number> = {
    n: sorted.length,
    mean: roundSignificant(kahanMean(sorted as unknown as number[])),
  };
  for (const p of SUMMARY_PERCENTS) summary[quantileKey(p)] = roundSignificant(percentile(sorted, p));
  return summary as DistributionSummary;
}

/** The grid quantiles of a summary as an array aligned with {@link SUMMARY_PERCENTS}. */
function gridValues(summary: DistributionSummary): Float64Array {
  return Float64Array.from(SUMMARY_PERCENTS, (p) => summary[quantileKey(p)]);
}

/**
 * Linear interpolation of the grid at `percent`, searching upwards from grid index `from` (≥ 1); returns the value
 * and the index of the grid point above it, where a search for a larger percent may start.
 */
function interpolate(grid: Float64Array, percent: number, from: number): [value: number, index: number] {
  let i = from;
  while (i < SUMMARY_PERCENTS.length - 1 && (SUMMARY_PERCENTS[i] as number) < percent) i++;
  const lowPercent = SUMMARY_PERCENTS[i - 1] as number;
  const highPercent = SUMMARY_PERCENTS[i] as number;
  const low = grid[i - 1] as number;
  const high = grid[i] as number;
  if (percent >= highPercent) return [high, i];
  return [low + ((percent - lowPercent) / (highPercent - lowPercent)) * (high - low), i];
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of a summarised distribution: the stored value at a grid point (numpy-linear on the
 * original values, rounded), linear interpolation between the two neighbouring grid points elsewhere.
 */
export function quantileFromSummary(summary: DistributionSummary, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be within [0, 1], got ${q}`);
  return interpolate(gridValues(summary), q * 100, 1)[0];
}

/**
 * `count` values drawn from a summarised distribution by inverse-CDF sampling, returned sorted ascending. The draws
 * are stratified (one uniform in each band [i/count, (i+1)/count)), so the sample's own quantiles follow the summary
 * closely even for small counts, while each value is still random. Bootstrapping this sample with `count` =
 * summary.n reproduces the sampling noise of a statistic of the original run.
 */
export function sampleFromSummary(summary: DistributionSummary, count: number, rng: Rng): Float64Array {
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`sample count must be a positive integer, got ${count}`);
  const grid = gridValues(summary);
  const sample = new Float64Array(count);
  let index = 1;
  for (let i = 0; i < count; i++) {
    const [value, next] = interpolate(grid, ((i + rng.uniform()) / count) * 100, index);
    sample[i] = value;
    index = next;
  }
  return sample;
}
