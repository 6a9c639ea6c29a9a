/**
 * Normal and Student-t distribution functions to double precision. simple-statistics has a normal table (4 digits) and
 * an approximate probit (about 3 digits) but no t distribution; the gate needs t quantiles for small baseline
 * histories and p-values far into the tails for Holm's adjustment, so both are computed here from the regularized
 * incomplete gamma and beta functions (continued fractions as in Numerical Recipes §6.2 and §6.4), with simple-
 * statistics' Lanczos log-gamma. test/gate/distributions.test.ts checks them against scipy.
 */
import { gammaln, probit } from 'simple-statistics';

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 500;

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a), for a > 0 and x ≥ 0. */
function upperGammaRegularized(a: number, x: number): number {
  if (x <= 0) return 1;
  const logPrefix = -x + a * Math.log(x) - gammaln(a);
  if (x < a + 1) {
    // Series for P(a, x), then Q = 1 − P.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
    }
    return 1 - sum * Math.exp(logPrefix);
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(logPrefix) * h;
}

/** Continued fraction of the incomplete beta function (Numerical Recipes betacf, modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1. */
function betaRegularized(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logPrefix = gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logPrefix) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(logPrefix) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Standard normal density φ(x). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Standard normal distribution function Φ(x), accurate in both tails (Φ(−x) is computed directly, not as 1 − Φ(x)). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  // Φ(x) = erfc(−x/√2)/2 and erfc(z) = Q(1/2, z²) for z ≥ 0.
  const tail = 0.5 * upperGammaRegularized(0.5, (x * x) / 2);
  return x < 0 ? tail : 1 - tail;
}

/** Standard normal quantile Φ⁻¹(p): simple-statistics' approximate probit refined by Newton steps. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1))
    throw new RangeError(`normal quantile: probability must be within [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = probit(p);
  for (let i = 0; i < 20; i++) {
    const step = (normalCdf(x) - p) / normalPdf(x);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

function checkDegreesOfFreedom(df: number): void {
  if (!(df > 0)) throw new RangeError(`Student t: degrees of freedom must be positive, got ${df}`);
}

/** Density of Student's t with `df` degrees of freedom (df = Infinity gives the normal density). */
export function studentTPdf(t: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (df === Infinity) return normalPdf(t);
  return Math.exp(
    gammaln((df + 1) / 2) -
      gammaln(df / 2) -
      0.5 * Math.log(df * Math.PI) -
      ((df + 1) / 2) * Math.log1p((t * t) / df),
  );
}

/** Distribution function of Student's t with `df` (> 0, possibly fractional or Infinity) degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (df === Infinity) return normalCdf(t);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * betaRegularized(df / (df + t * t), df / 2, 0.5);
  return t < 0 ? tail : 1 - tail;
}

/**
 * Quantile of Student's t with `df` (> 0, possibly fractional or Infinity) degrees of freedom: closed forms for
 * df = 1 and 2, otherwise Newton steps on {@link studentTCdf} from the normal quantile, kept inside a bisection
 * bracket so that they always converge.
 */
export function studentTQuantile(p: number, df: number): number {
  checkDegreesOfFreedom(df);
  if (!(p >= 0 && p <= 1))
    throw new RangeError(`Student t quantile: probability must be within [0, 1], got ${p}`);
  if (df === Infinity) return normalQuantile(p);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  if (p === 0.5) return 0;
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  let low = 0;
  let high = Math.max(1, normalQuantile(p));
  while (studentTCdf(high, df) < p) {
    low = high;
    high *= 2;
  }
  let t = Math.min(Math.max(normalQuantile(p), low), high);
  for (let i = 0; i < 100; i++) {
    const excess = studentTCdf(t, df) - p;
    if (excess > 0) high = t;
    else low = t;
    let next = t - excess / studentTPdf(t, df);
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}
