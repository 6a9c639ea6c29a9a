import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe as group, expect, it } from 'vitest';
import { describe, EMPTY_DISTRIBUTION, percentile } from '../../src/metrics/statistics.js';

interface FixtureCase {
  readonly name: string;
  readonly n: number;
  readonly values?: number[];
  readonly generator?: { kind: 'modular'; n: number; a: number; m: number; scale: number; offset: number };
  readonly percentiles: Record<string, number>;
  readonly mean: number;
  readonly std: number;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/percentiles/numpy-linear.json', import.meta.url), 'utf8'),
) as { qs: number[]; cases: FixtureCase[] };

/** The generator of scripts/gen-percentile-fixture.py, in the same IEEE operations. */
function values(c: FixtureCase): Float64Array {
  if (c.values !== undefined) return Float64Array.from(c.values);
  const g = c.generator;
  if (g === undefined) throw new Error(`fixture case ${c.name} has neither values nor generator`);
  const out = new Float64Array(g.n);
  for (let i = 1; i <= g.n; i++) {
    const u = ((i * g.a) % g.m) / g.m;
    out[i - 1] = u * u * g.scale + g.offset;
  }
  return out;
}

/** Relative 1e-9, with the array's magnitude as the floor so values near zero are not held to an absurd bound. */
function expectClose(actual: number, expected: number, magnitude: number, label: string): void {
  const tolerance = 1e-9 * Math.max(Math.abs(expected), magnitude * 1e-3);
  expect(Math.abs(actual - expected), `${label}: ${actual} vs numpy ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}

group('numpy fixture (linear percentiles, mean, std ddof=0)', () => {
  it('covers the required shapes', () => {
    expect(fixture.qs).toEqual([0, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100]);
    const sizes = fixture.cases.map((c) => c.n);
    expect(sizes).toContain(1);
    expect(sizes).toContain(2);
    expect(sizes.some((n) => n % 2 === 0 && n > 2)).toBe(true);
    expect(sizes.some((n) => n % 2 === 1 && n > 1)).toBe(true);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(1_000_000);
  });

  for (const c of fixture.cases) {
    it(`matches numpy on ${c.name}`, () => {
      const data = values(c);
      expect(data.length).toBe(c.n);
      const magnitude = data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const sorted = Float64Array.from(data).sort();
      for (const q of fixture.qs) {
        const expected = c.percentiles[String(q)];
        if (expected === undefined) throw new Error(`fixture case ${c.name} lacks q=${q}`);
        expectClose(percentile(sorted, q), expected, magnitude, `${c.name} p${q}`);
      }
      const d = describe(data);
      if (d.mean === null) throw new Error('describe returned an empty distribution for a non-empty array');
      expect(d.count).toBe(c.n);
      expectClose(d.mean, c.mean, magnitude, `${c.name} mean`);
      expectClose(d.stddev, c.std, magnitude, `${c.name} std`);
      expect(d.min).toBe(c.percentiles['0']);
      expect(d.max).toBe(c.percentiles['100']);
      expectClose(d.p50, c.percentiles['50'] as number, magnitude, `${c.name} p50`);
      expectClose(d.p90, c.percentiles['90'] as number, magnitude, `${c.name} p90`);
      expectClose(d.p95, c.percentiles['95'] as number, magnitude, `${c.name} p95`);
      expectClose(d.p99, c.percentiles['99'] as number, magnitude, `${c.name} p99`);
    });
  }
});

group('percentile', () => {
  it('interpolates linearly between order statistics (hand-computed)', () => {
    const sorted = [10, 20, 30, 40];
    expect(percentile(sorted, 0)).toBe(10);
    expect(percentile(sorted, 50)).toBe(25); // h = 1.5
    expect(percentile(sorted, 90)).toBeCloseTo(37, 12); // h = 2.7
    expect(percentile(sorted, 100)).toBe(40);
    expect(percentile([7], 99)).toBe(7);
  });

  it('rejects an empty input and q outside [0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1, 2], -1)).toThrow(/\[0, 100\], got -1/);
    expect(() => percentile([1, 2], 100.5)).toThrow(RangeError);
    expect(() => percentile([1, 2], Number.NaN)).toThrow(RangeError);
  });

  it('is monotone in q and stays within [min, max]', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (raw, q1, q2) => {
          const sorted = Float64Array.from(raw).sort();
          const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
          const a = percentile(sorted, lo);
          const b = percentile(sorted, hi);
          expect(a).toBeLessThanOrEqual(b + 1e-9 * Math.max(1, Math.abs(b)));
          expect(a).toBeGreaterThanOrEqual(sorted[0] as number);
          expect(b).toBeLessThanOrEqual(sorted[sorted.length - 1] as number);
        },
      ),
    );
  });
});

group('describe', () => {
  it('returns count 0 and nulls for no values', () => {
    expect(describe([])).toEqual(EMPTY_DISTRIBUTION);
    expect(describe(new Float64Array(0))).toEqual({
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
  });

  it('describes a single value with stddev 0', () => {
    expect(describe([12.5])).toEqual({
      count: 1,
      mean: 12.5,
      stddev: 0,
      min: 12.5,
      max: 12.5,
      p50: 12.5,
      p90: 12.5,
      p95: 12.5,
      p99: 12.5,
    });
  });

  it('uses the population standard deviation (ddof = 0)', () => {
    // values 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − mean)² = 32, 32 / 8 = 4
    expect(describe([9, 2, 4, 4, 5, 4, 5, 7]).stddev).toBe(2);
  });

  it('leaves the input unsorted and is independent of input order', () => {
    const input = [5, 1, 4, 2, 3];
    const d = describe(input);
    expect(input).toEqual([5, 1, 4, 2, 3]);
    expect(describe([1, 2, 3, 4, 5])).toEqual(d);
    expect(d).toMatchObject({ min: 1, max: 5, p50: 3, mean: 3 });
  });

  it('rejects values that are not finite, naming the index', () => {
    expect(() => describe([1, Number.NaN])).toThrow(/value 1 is NaN/);
    expect(() => describe([Number.POSITIVE_INFINITY])).toThrow(/value 0 is Infinity/);
  });
});
