import { describe, expect, it } from 'vitest';
import { percentile } from '../../src/metrics/statistics.js';
import { createRng } from '../../src/gate/stats/rng.js';
import {
  distributionSummarySchema,
  quantileFromSummary,
  roundSignificant,
  sampleFromSummary,
  summarizeDistribution,
  SUMMARY_PERCENTS,
  type DistributionSummary,
} from '../../src/gate/stats/summary.js';

/** 100·exp(sin i), i = 1..50: numpy 2.4 gives the quantiles below (np.percentile, linear), rounded to 4 digits. */
const VALUES = Array.from({ length: 50 }, (_, i) => 100 * Math.exp(Math.sin(i + 1)));
const NUMPY = {
  p0: 36.79,
  p1: 36.94,
  'p2.5': 37.12,
  p5: 37.68,
  p10: 38.51,
  p20: 45.81,
  p30: 56.39,
  p40: 75.37,
  p50: 100.5,
  p60: 132.5,
  p70: 179.0,
  p80: 231.1,
  p90: 250.3,
  p95: 265.9,
  'p97.5': 269.2,
  p99: 270.6,
  'p99.5': 271.2,
  'p99.9': 271.7,
  p100: 271.8,
};

function lognormalSample(n: number, sigma: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => 200 * Math.exp(sigma * rng.normal()));
}

describe('summarizeDistribution', () => {
  it('stores n, the mean and numpy-linear quantiles rounded to 4 significant digits', () => {
    expect(summarizeDistribution(VALUES)).toEqual({ n: 50, mean: 126.5, ...NUMPY });
  });

  it('is a small, flat, human-readable JSON object', () => {
    const summary = summarizeDistribution(lognormalSample(200, 0.4, 1));
    const json = JSON.stringify(summary);
    expect(Object.keys(summary)).toEqual(['n', 'mean', ...SUMMARY_PERCENTS.map((p) => `p${p}`)]);
    expect(json.length).toBeLessThan(280);
  });

  it('rejects empty and non-finite input, naming the value', () => {
    expect(() => summarizeDistribution([])).toThrow(/empty/);
    expect(() => summarizeDistribution([1, NaN])).toThrow(/value 1 is NaN/);
  });
});

describe('roundSignificant', () => {
  it('keeps 4 significant digits by default', () => {
    expect(roundSignificant(1234.5678)).toBe(1235);
    expect(roundSignificant(0.000123456)).toBe(0.0001235);
    expect(roundSignificant(0)).toBe(0);
    expect(roundSignificant(99995)).toBe(100000);
  });
});

describe('quantileFromSummary', () => {
  const summary = summarizeDistribution(VALUES);

  it('returns the stored value at grid points', () => {
    expect(quantileFromSummary(summary, 0.5)).toBe(100.5);
    expect(quantileFromSummary(summary, 0.95)).toBe(265.9);
    expect(quantileFromSummary(summary, 0)).toBe(36.79);
    expect(quantileFromSummary(summary, 1)).toBe(271.8);
  });

  it('interpolates linearly between grid points', () => {
    // p25 lies half way from p20 (45.81) to p30 (56.39).
    expect(quantileFromSummary(summary, 0.25)).toBeCloseTo((45.81 + 56.39) / 2, 10);
  });

  it('recomputes the quantiles of a large lognormal sample to within 2%', () => {
    const sample = lognormalSample(5000, 0.4, 2);
    const sorted = Float64Array.from(sample).sort();
    const big = summarizeDistribution(sample);
    for (let q = 0.01; q < 0.995; q += 0.01) {
      const exact = percentile(sorted, q * 100);
      expect(Math.abs(quantileFromSummary(big, q) / exact - 1)).toBeLessThan(0.02);
    }
  });

  it('rejects q outside [0, 1]', () => {
    expect(() => quantileFromSummary(summary, 1.5)).toThrow(/within \[0, 1\]/);
  });
});

describe('sampleFromSummary', () => {
  const original = lognormalSample(2000, 0.4, 3);
  const summary = summarizeDistribution(original);

  it('draws a sorted sample within the summarised range', () => {
    const sample = sampleFromSummary(summary, 500, createRng(4));
    for (let i = 1; i < sample.length; i++) expect(sample[i]).toBeGreaterThanOrEqual(sample[i - 1] as number);
    expect(sample[0]).toBeGreaterThanOrEqual(summary.p0);
    expect(sample[sample.length - 1]).toBeLessThanOrEqual(summary.p100);
  });

  it('reproduces the distribution: quantiles within 2% and distribution functions within 0.02', () => {
    const sample = sampleFromSummary(summary, 2000, createRng(5));
    for (const q of [0.05, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99]) {
      expect(Math.abs(percentile(sample, q * 100) / quantileFromSummary(summary, q) - 1)).toBeLessThan(0.02);
    }
    // Kolmogorov–Smirnov distance to the original values.
    const sortedOriginal = Float64Array.from(original).sort();
    let distance = 0;
    let j = 0;
    for (let i = 0; i < sample.length; i++) {
      while (j < sortedOriginal.length && (sortedOriginal[j] as number) <= (sample[i] as number)) j++;
      distance = Math.max(distance, Math.abs((i + 1) / sample.length - j / sortedOriginal.length));
    }
    expect(distance).toBeLessThan(0.02);
  });

  it('is reproducible with the same seed', () => {
    expect(sampleFromSummary(summary, 50, createRng(9))).toEqual(
      sampleFromSummary(summary, 50, createRng(9)),
    );
  });
});

describe('distributionSummarySchema', () => {
  const summary: DistributionSummary = summarizeDistribution(VALUES);

  it('accepts a summary', () => {
    expect(distributionSummarySchema.parse(summary)).toEqual(summary);
  });

  it('rejects decreasing quantiles and missing keys, naming them', () => {
    const broken = distributionSummarySchema.safeParse({ ...summary, p60: 10 });
    expect(broken.success).toBe(false);
    expect(broken.error?.issues[0]?.path).toEqual(['p60']);
    const { p95: _dropped, ...missing } = summary;
    const incomplete = distributionSummarySchema.safeParse(missing);
    expect(incomplete.error?.issues[0]?.path).toEqual(['p95']);
  });
});
