/**
 * Intervals and a one-sided test for error rates, which are proportions: Wilson's score interval for one rate,
 * Newcombe's hybrid score interval (Newcombe 1998, method 10) for the difference of two, and Fisher's exact test for
 * an increase. All behave at 0 errors (where a ratio of rates is undefined and a Wald interval has zero width), so a
 * baseline with no errors never turns one error into an "infinite regression".
 */
import { gammaln } from 'simple-statistics';

/** A count of failed requests out of all measured requests. */
export interface ErrorCount {
  readonly errors: number;
  readonly total: number;
}

function checkCount(count: ErrorCount, name: string): void {
  const { errors, total } = count;
  if (!Number.isInteger(total) || total < 1)
    throw new RangeError(`${name}: total must be a positive integer, got ${total}`);
  if (!Number.isInteger(errors) || errors < 0 || errors > total) {
    throw new RangeError(`${name}: errors must be an integer within [0, ${total}], got ${errors}`);
  }
}

/** Wilson score interval [lower, upper] for errors/total at normal quantile z (z = 1.645: 90% two-sided). */
export function wilsonInterval(count: ErrorCount, z: number): [number, number] {
  checkCount(count, 'wilson interval');
  const n = count.total;
  const p = count.errors / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Newcombe's hybrid score interval [lower, upper] for rate(a) − rate(b) at normal quantile z, built from the two
 * Wilson intervals: lower = d − √((pa − la)² + (ub − pb)²), upper = d + √((ua − pa)² + (pb − lb)²).
 */
export function newcombeDifferenceInterval(a: ErrorCount, b: ErrorCount, z: number): [number, number] {
  const pa = a.errors / a.total;
  const pb = b.errors / b.total;
  const [la, ua] = wilsonInterval(a, z);
  const [lb, ub] = wilsonInterval(b, z);
  const d = pa - pb;
  return [d - Math.hypot(pa - la, ub - pb), d + Math.hypot(ua - pa, pb - lb)];
}

/** log of the binomial coefficient C(n, k). */
function logChoose(n: number, k: number): number {
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
}

/**
 * One-sided p-value of Fisher's exact test that rate(a) is higher than rate(b): given the errors of both together,
 * the chance that `a` holds at least as many of them as it does (the hypergeometric upper tail). Exact whatever the
 * counts, so a handful of errors never looks more significant than it is (score intervals such as Newcombe's run
 * liberal this far into the tail with so few events); 1 when `a` has no errors.
 */
export function rateIncreasePValue(a: ErrorCount, b: ErrorCount): number {
  checkCount(a, 'current error count');
  checkCount(b, 'baseline error count');
  const errors = a.errors + b.errors;
  const total = a.total + b.total;
  const logDenominator = logChoose(total, a.total);
  let p = 0;
  for (let x = a.errors; x <= Math.min(errors, a.total); x++) {
    p += Math.exp(logChoose(errors, x) + logChoose(total - errors, a.total - x) - logDenominator);
  }
  return Math.min(1, p);
}
