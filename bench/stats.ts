/** The few statistics the benchmark needs, on top of the project's numpy-compatible percentile. */
import { percentile } from '../src/metrics/statistics.js';

/** The median (numpy's linear method) of `values`; NaN when there are none. */
export function median(values: readonly number[]): number {
  return quantiles(values, [50])[0] ?? Number.NaN;
}

/** The percentiles `qs` (0..100) of `values`, in the order asked; NaN for each when there are no values. */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  if (values.length === 0) return qs.map(() => Number.NaN);
  const sorted = Float64Array.from(values).sort();
  return qs.map((q) => percentile(sorted, q));
}

/** The median over repetitions of each named figure: `reps` holds one object of figures per repetition. */
export function medianOver<K extends string>(
  reps: readonly Readonly<Record<K, number>>[],
  keys: readonly K[],
): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of keys) out[key] = median(reps.map((r) => r[key]));
  return out;
}
