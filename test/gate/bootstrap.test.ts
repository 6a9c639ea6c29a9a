import { describe, expect, it } from 'vitest';
import { percentile } from '../../src/metrics/statistics.js';
import { normalPdf, normalQuantile } from '../../src/gate/stats/distributions.js';
import { bootstrapLogSE, statisticOfSorted } from '../../src/gate/stats/bootstrap.js';
import { createRng } from '../../src/gate/stats/rng.js';

function lognormalSorted(n: number, sigma: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => 200 * Math.exp(sigma * rng.normal())).sort();
}

function sd(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}

/** The textbook bootstrap: gather each resample, sort it, take numpy-linear quantiles (same draws as the code). */
function naiveBootstrapLogSE(
  sorted: Float64Array,
  qs: readonly number[],
  replicates: number,
  seed: number,
): number[] {
  const rng = createRng(seed);
  const n = sorted.length;
  const draws = new Uint32Array(n);
  const logs = qs.map(() => [] as number[]);
  for (let r = 0; r < replicates; r++) {
    rng.fillUint32(draws);
    const resample = Float64Array.from(draws, (u) => sorted[Math.floor((u * n) / 2 ** 32)] as number).sort();
    qs.forEach((q, i) => {
      const value = q < 0 ? resample.reduce((a, b) => a + b, 0) / n : percentile(resample, q * 100);
      (logs[i] as number[]).push(Math.log(value));
    });
  }
  return logs.map(sd);
}

describe('bootstrapLogSE', () => {
  const sorted = lognormalSorted(200, 0.4, 11);

  it('equals the sort-every-resample bootstrap on the same draws', () => {
    const fast = bootstrapLogSE(sorted, ['p50', 'p95', 'mean', 'p99'], 300, createRng(5));
    const naive = naiveBootstrapLogSE(sorted, [0.5, 0.95, -1, 0.99], 300, 5);
    fast.forEach((se, i) => expect(se).toBeCloseTo(naive[i] as number, 12));
  });

  it('is reproducible with the same seed and varies with another', () => {
    const a = bootstrapLogSE(sorted, ['p50', 'p95'], 500, createRng(1));
    expect(bootstrapLogSE(sorted, ['p50', 'p95'], 500, createRng(1))).toEqual(a);
    const b = bootstrapLogSE(sorted, ['p50', 'p95'], 500, createRng(2));
    expect(b).not.toEqual(a);
    b.forEach((se, i) => expect(Math.abs(se / (a[i] as number) - 1)).toBeLessThan(0.2));
  });

  it('agrees with the asymptotic standard error of a quantile and of the mean', () => {
    // log of a lognormal sample quantile: SE ≈ sigma·√(p(1 − p)/n) / φ(z_p); mean: SE ≈ CV/√n.
    const sigma = 0.4;
    const n = 1000;
    const big = lognormalSorted(n, sigma, 12);
    const [p50, p95, mean] = bootstrapLogSE(big, ['p50', 'p95', 'mean'], 2000, createRng(3)) as number[];
    const quantileSE = (p: number) => (sigma * Math.sqrt((p * (1 - p)) / n)) / normalPdf(normalQuantile(p));
    expect(Math.abs((p50 as number) / quantileSE(0.5) - 1)).toBeLessThan(0.15);
    expect(Math.abs((p95 as number) / quantileSE(0.95) - 1)).toBeLessThan(0.2);
    expect(
      Math.abs((mean as number) / (Math.sqrt(Math.expm1(sigma * sigma)) / Math.sqrt(n)) - 1),
    ).toBeLessThan(0.1);
  });

  it('returns NaN when a resampled statistic is not positive', () => {
    const withZeros = Float64Array.from([0, 0, 0, 0, 1, 2]);
    const [se] = bootstrapLogSE(withZeros, ['p50'], 200, createRng(1));
    expect(se).toBeNaN();
  });

  it('validates its inputs', () => {
    expect(() => bootstrapLogSE(sorted, ['p50'], 1, createRng(1))).toThrow(/replicates/);
    expect(() => bootstrapLogSE(Float64Array.of(1), ['p50'], 10, createRng(1))).toThrow(/at least 2 values/);
  });
});

describe('statisticOfSorted', () => {
  it('reads quantiles by numpy linear interpolation and the mean', () => {
    const sorted = Float64Array.of(1, 2, 4, 8);
    expect(statisticOfSorted(sorted, 'p50')).toBe(3);
    expect(statisticOfSorted(sorted, 'p90')).toBe(percentile(sorted, 90));
    expect(statisticOfSorted(sorted, 'mean')).toBe(3.75);
  });
});
