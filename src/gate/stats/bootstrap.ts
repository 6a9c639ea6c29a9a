/**
 * Seeded bootstrap of a run's within-run sampling noise: the standard error of the log of a statistic over
 * resamples of the run's requests.
 *
 * A resample is drawn as multinomial counts over the values sorted once, so each replicate costs O(n) (draw n
 * indices, walk the counts once) with no sorting or copying; quantiles of the resample are read off the cumulative
 * counts by numpy's linear method, exactly as if the resample had been sorted. The log scale is the one the gate
 * compares on (effects are ratios), and a standard error rather than percentile limits is kept because the gate adds
 * between-run noise to it before forming intervals.
 */
import { percentile } from '../../metrics/statistics.js';
import type { Rng } from './rng.js';

const TWO_POW_32 = 4294967296;

/** Statistics of one per-request metric that the gate can compare. */
export const SAMPLE_STATISTICS = ['p50', 'p90', 'p95', 'p99', 'mean'] as const;
export type SampleStatistic = (typeof SAMPLE_STATISTICS)[number];

/** The probability (0–1) of a quantile statistic, or undefined for the mean. */
export function statisticProbability(statistic: SampleStatistic): number | undefined {
  return statistic === 'mean' ? undefined : Number(statistic.slice(1)) / 100;
}

/** The statistic of values sorted ascending (quantiles by numpy's linear method). */
export function statisticOfSorted(sorted: ArrayLike<number>, statistic: SampleStatistic): number {
  if (sorted.length === 0) throw new RangeError(`${statistic} of an empty list of values`);
  const q = statisticProbability(statistic);
  if (q !== undefined) return percentile(sorted, q * 100);
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i] as number;
  return sum / sorted.length;
}

/** Sample standard deviation (n − 1); NaN when any value is not finite. */
function standardDeviation(values: Float64Array): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] as number;
  mean /= n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((values[i] as number) - mean) ** 2;
  return Math.sqrt(squares / (n - 1));
}

function checkReplicates(replicates: number): void {
  if (!Number.isInteger(replicates) || replicates < 2) {
    throw new RangeError(`bootstrap replicates must be an integer of at least 2, got ${replicates}`);
  }
}

/**
 * Bootstrap standard errors of log(statistic) for each of `statistics`, from `replicates` resamples of `sorted`
 * (ascending, at least 2 values). All statistics are read from the same resamples. A standard error is NaN when a
 * replicate's statistic is not positive (its log is undefined): the caller reports the metric as not comparable.
 */
export function bootstrapLogSE(
  sorted: Float64Array,
  statistics: readonly SampleStatistic[],
  replicates: number,
  rng: Rng,
): number[] {
  checkReplicates(replicates);
  const n = sorted.length;
  if (n < 2) throw new RangeError(`bootstrap needs at least 2 values, got ${n}`);
  // Order-statistic ranks (0-based) each quantile needs: ⌊h⌋ and ⌊h⌋ + 1 with h = (n − 1)·q.
  const plans = statistics.map((statistic) => {
    const q = statisticProbability(statistic);
    if (q === undefined) return undefined;
    const h = (n - 1) * q;
    const rank = Math.floor(h);
    return { rank, fraction: h - rank };
  });
  const ranks = [
    ...new Set(
      plans.flatMap((plan) => (plan === undefined ? [] : [plan.rank, Math.min(plan.rank + 1, n - 1)])),
    ),
  ].sort((x, y) => x - y);
  const rankValues = new Float64Array(n);
  const counts = new Int32Array(n);
  const draws = new Uint32Array(n);
  const fractions = plans.map((plan) => plan?.fraction ?? 0);
  const logs = statistics.map(() => new Float64Array(replicates));
  for (let r = 0; r < replicates; r++) {
    counts.fill(0);
    rng.fillUint32(draws);
    for (let i = 0; i < n; i++) {
      const k = Math.floor(((draws[i] as number) * n) / TWO_POW_32);
      counts[k] = (counts[k] as number) + 1;
    }
    let sum = 0;
    let cumulative = 0;
    let next = 0;
    for (let j = 0; j < n; j++) {
      const count = counts[j] as number;
      if (count === 0) continue;
      const value = sorted[j] as number;
      sum += count * value;
      cumulative += count;
      while (next < ranks.length && (ranks[next] as number) < cumulative)
        rankValues[ranks[next++] as number] = value;
    }
    for (let s = 0; s < statistics.length; s++) {
      const plan = plans[s];
      let value: number;
      if (plan === undefined) value = sum / n;
      else {
        const below = rankValues[plan.rank] as number;
        value =
          below + (fractions[s] as number) * ((rankValues[Math.min(plan.rank + 1, n - 1)] as number) - below);
      }
      (logs[s] as Float64Array)[r] = value > 0 ? Math.log(value) : NaN;
    }
  }
  return logs.map(standardDeviation);
}
