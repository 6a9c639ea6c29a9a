/**
 * Descriptive statistics that compare number for number with vLLM's and LLMPerf's reports: percentiles by linear
 * interpolation between order statistics (numpy.percentile's default "linear" method, Hyndman & Fan / R type 7) and
 * the population standard deviation (numpy.std's default ddof=0, which vLLM reports).
 */
import { mean as kahanMean, quantileSorted, standardDeviation } from 'simple-statistics';

/** Summary of one metric's values. Every statistic is null when there are no values (count 0). */
export type Distribution = EmptyDistribution | FilledDistribution;

export interface EmptyDistribution {
  readonly count: 0;
  readonly mean: null;
  /** Population standard deviation (ddof = 0, as numpy.std and vLLM). */
  readonly stddev: null;
  readonly min: null;
  readonly max: null;
  readonly p50: null;
  readonly p90: null;
  readonly p95: null;
  readonly p99: null;
}

export interface FilledDistribution {
  readonly count: number;
  readonly mean: number;
  /** Population standard deviation (ddof = 0, as numpy.std and vLLM): 0 for a single value. */
  readonly stddev: number;
  readonly min: number;
  readonly max: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
}

export const EMPTY_DISTRIBUTION: EmptyDistribution = Object.freeze({
  count: 0,
  mean: null,
  stddev: null,
  min: null,
  max: null,
  p50: null,
  p90: null,
  p95: null,
  p99: null,
});

/**
 * simple-statistics only reads `length` and indexed elements, so a typed array serves, but its types ask for an
 * array: this is the one place that says so.
 */
function asArray(values: ArrayLike<number>): readonly number[] {
  return values as readonly number[];
}

/**
 * The q-th percentile (0 ≤ q ≤ 100, as numpy.percentile) of values sorted ascending, by numpy's default linear
 * method: with h = (n − 1)·q/100, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 *
 * simple-statistics' quantileSorted (7.12) implements exactly this method; fixtures/percentiles/numpy-linear.json
 * checks it against numpy. The input is not checked for order: sort it first.
 */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty list of values');
  if (!(q >= 0 && q <= 100)) throw new RangeError(`percentile q must be within [0, 100], got ${q}`);
  return quantileSorted(asArray(sorted), q / 100);
}

/**
 * Count, mean, population standard deviation, min, max and the 50th/90th/95th/99th percentiles of `values`.
 * Sorts one Float64Array copy (the input is left as is) and reads every percentile from it.
 * Throws a RangeError naming the first value that is not a finite number.
 */
export function describe(values: ArrayLike<number>): Distribution {
  if (values.length === 0) return EMPTY_DISTRIBUTION;
  const sorted = Float64Array.from(values);
  for (let i = 0; i < sorted.length; i++) {
    const value = sorted[i] as number;
    if (!Number.isFinite(value))
      throw new RangeError(`value ${i} is ${value}; only finite numbers can be described`);
  }
  sorted.sort();
  const array = asArray(sorted);
  return {
    count: sorted.length,
    mean: kahanMean(array),
    stddev: standardDeviation(array),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}
