/**
 * Robust screening of a baseline history's per-run statistics (on the log scale), and the plain estimators used on
 * the runs that pass it.
 */

/** Median of values (any order, left as is); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Arithmetic mean; NaN for none. */
export function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Sample standard deviation (n − 1); NaN for fewer than 2 values. */
export function sampleStandardDeviation(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return NaN;
  const centre = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - centre) ** 2, 0) / (n - 1));
}

/** Modified z-score beyond which a value is an outlier (Iglewicz & Hoaglin 1993). */
const OUTLIER_Z = 3.5;

/** Fewest values for which the median and MAD are steady enough to screen with. */
const MIN_SCREENED = 5;

/**
 * Indices of the values that are not outliers by Iglewicz and Hoaglin's modified z-score,
 * 0.6745·|x − median| / MAD > 3.5 (MAD: median absolute deviation from the median). With fewer than
 * {@link MIN_SCREENED} values, or a MAD of 0 (most values tied), every index is kept. At least half the values
 * always pass, since half lie within one MAD of the median.
 */
export function screenOutliers(values: readonly number[]): number[] {
  const all = values.map((_, i) => i);
  if (values.length < MIN_SCREENED) return all;
  const centre = median(values);
  const mad = median(values.map((v) => Math.abs(v - centre)));
  if (!(mad > 0)) return all;
  return all.filter((i) => (0.6745 * Math.abs((values[i] as number) - centre)) / mad <= OUTLIER_Z);
}
