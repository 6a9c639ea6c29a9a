/**
 * Screening of a baseline history's per-run statistics (on the log scale) for outlying runs, and the plain estimators
 * used on the runs that pass it.
 */
import { studentTQuantile } from './distributions.js';

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

/** Chance that the screen sets aside a run of a history without outliers (normal runs): about 1%. */
const OUTLIER_LEVEL = 0.01;

/** Values per outlier the screen may set aside: none below 5 values, one from 5, two from 10, and so on. */
const VALUES_PER_OUTLIER = 5;

/** Critical values of the extreme studentized deviate by sample size, computed once each. */
const criticalValues = new Map<number, number>();

/** Rosner's critical value λ for the most extreme of `size` values at level {@link OUTLIER_LEVEL}. */
function criticalDeviate(size: number): number {
  let critical = criticalValues.get(size);
  if (critical === undefined) {
    const t = studentTQuantile(1 - OUTLIER_LEVEL / (2 * size), size - 2);
    critical = ((size - 1) * t) / Math.sqrt((size - 2 + t * t) * size);
    criticalValues.set(size, critical);
  }
  return critical;
}

/**
 * Indices (ascending) of the values that are not outliers by Rosner's generalized extreme studentized deviate test
 * (Technometrics 25, 1983) at level 1%, testing for up to ⌊n/5⌋ outliers: the value farthest from the mean of those
 * left, in units of their standard deviation, is compared with its critical value and set aside, up to that many
 * times; the outliers are the values set aside up to the last one beyond its critical value.
 *
 * Why this test and not a median/MAD screen: the screen removes a run only when the others' spread cannot explain it,
 * and the critical values hold its false alarms to about 1% of histories of 5–20 normal runs. Iglewicz and Hoaglin's
 * modified z-score (> 3.5) sets aside a run of 21% of 5-run and 10% of 20-run normal histories; each time, the spread
 * left understates the noise, and in the simulation study false FAILs at 5% drift rose to 2–4% with 5 runs. The price
 * is a weaker screen with 5 runs, where one run 6 standard deviations off is caught 16% of the time (74% with 10).
 */
export function screenOutliers(values: readonly number[]): number[] {
  const n = values.length;
  const remaining = values.map((_, i) => i);
  const removed: number[] = [];
  let outliers = 0;
  for (let step = 1; step <= Math.floor(n / VALUES_PER_OUTLIER); step++) {
    const left = remaining.map((i) => values[i] as number);
    const size = left.length;
    const centre = mean(left);
    const sd = sampleStandardDeviation(left);
    if (!(sd > 0)) break;
    let farthest = 0;
    left.forEach((v, j) => {
      if (Math.abs(v - centre) > Math.abs((left[farthest] as number) - centre)) farthest = j;
    });
    const deviate = Math.abs((left[farthest] as number) - centre) / sd;
    const critical = criticalDeviate(size);
    removed.push(...remaining.splice(farthest, 1));
    if (deviate > critical) outliers = step;
  }
  const outlying = new Set(removed.slice(0, outliers));
  return values.map((_, i) => i).filter((i) => !outlying.has(i));
}
