import { errorFunction } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import type { TokenDistribution } from '../../src/config/schema.js';
import { tokenDistributionSchema } from '../../src/config/schema.js';
import { lengthBounds, sampleLength } from '../../src/workload/lengths.js';
import { rngForKey } from '../../src/workload/random.js';

const dist = (input: Partial<TokenDistribution> & { mean: number }): TokenDistribution =>
  tokenDistributionSchema.parse(input);

function samples(d: TokenDistribution, n: number, salt = 0): number[] {
  const bounds = lengthBounds(d);
  return Array.from({ length: n }, (_, i) => sampleLength(d, bounds, rngForKey([salt, i])));
}

function moments(xs: readonly number[]): { mean: number; stddev: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, stddev: Math.sqrt(variance) };
}

/** Probability of each rounded length k in [min, max] under the truncated, rounded normal. */
function truncatedRoundedNormal(mean: number, sd: number, min: number, max: number): Map<number, number> {
  const phi = (x: number) => 0.5 * (1 + errorFunction((x - mean) / (sd * Math.SQRT2)));
  const p = new Map<number, number>();
  let total = 0;
  for (let k = min; k <= max; k++) {
    const mass = phi(k + 0.5) - phi(k - 0.5);
    p.set(k, mass);
    total += mass;
  }
  for (const [k, mass] of p) p.set(k, mass / total);
  return p;
}

describe('lengthBounds', () => {
  it('defaults min to 1 and max to mean + 4 stddev', () => {
    expect(lengthBounds(dist({ mean: 100, stddev: 10 }))).toEqual({ min: 1, max: 140 });
    expect(lengthBounds(dist({ mean: 100.4, stddev: 0 }))).toEqual({ min: 1, max: 100 });
    expect(lengthBounds(dist({ mean: 100, stddev: 10, min: 90, max: 105 }))).toEqual({ min: 90, max: 105 });
  });
});

describe('sampleLength', () => {
  it('matches the configured mean and stddev when truncation is negligible', () => {
    const xs = samples(dist({ mean: 200, stddev: 30 }), 5000);
    const { mean, stddev } = moments(xs);
    // Standard error of the mean is 30 / sqrt(5000) = 0.42; of the stddev about 0.3.
    expect(Math.abs(mean - 200)).toBeLessThan(2);
    expect(Math.abs(stddev - 30)).toBeLessThan(1.5);
    expect(xs.every((x) => Number.isInteger(x))).toBe(true);
  });

  it('never leaves [min, max]', () => {
    const d = dist({ mean: 50, stddev: 40, min: 30, max: 60 });
    const xs = samples(d, 3000, 1);
    expect(Math.min(...xs)).toBe(30);
    expect(Math.max(...xs)).toBe(60);
  });

  it('resamples rather than clamps: the truncated normal shape, no pile-up at the bounds', () => {
    const d = dist({ mean: 10, stddev: 10, min: 5, max: 20 });
    const xs = samples(d, 4000, 2);
    const expected = truncatedRoundedNormal(10, 10, 5, 20);
    const expectedMean = [...expected].reduce((a, [k, p]) => a + k * p, 0);
    expect(Math.abs(moments(xs).mean - expectedMean)).toBeLessThan(0.3);
    for (const edge of [5, 20]) {
      const share = xs.filter((x) => x === edge).length / xs.length;
      // Clamping would put about 29% (below 5) and 15% (above 20) of draws on the edges; the model gives ~5-8%.
      expect(Math.abs(share - (expected.get(edge) ?? 0))).toBeLessThan(0.02);
    }
  });

  it('gives the rounded mean every time when stddev is 0', () => {
    const xs = samples(dist({ mean: 64.5, stddev: 0 }), 200, 3);
    expect(new Set(xs)).toEqual(new Set([65]));
  });

  it('ends with a clamped value when the range is a sliver of a very wide distribution', () => {
    const d = dist({ mean: 1000, stddev: 100_000, min: 1000, max: 1000 });
    expect(samples(d, 50, 4).every((x) => x === 1000)).toBe(true);
  });
});
