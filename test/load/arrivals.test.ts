import { describe, expect, it } from 'vitest';
import { arrivalSchedule, gammaDeviate } from '../../src/load/arrivals.js';
import { rngForKey } from '../../src/workload/random.js';

type Open = Parameters<typeof arrivalSchedule>[0];
const open = (over: Partial<Open> = {}): Open => ({
  mode: 'open',
  rate: 10,
  arrival: 'poisson',
  burstiness: 1,
  rampUpS: 0,
  ...over,
});

function times(load: Open, n: number, seed = 7): number[] {
  const s = arrivalSchedule(load, seed);
  return Array.from({ length: n }, () => s.next());
}

function gapsOf(t: readonly number[]): number[] {
  return t.slice(1).map((x, i) => x - t[i]!);
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const cv = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)) / m;
};

describe('arrival schedules', () => {
  it('constant: every gap is 1/rate', () => {
    const g = gapsOf(times(open({ arrival: 'constant', rate: 4 }), 100));
    expect(g.every((x) => Math.abs(x - 250) < 1e-9)).toBe(true);
  });

  it('poisson: exponential gaps with mean 1/rate and coefficient of variation 1; counts have dispersion 1', () => {
    const t = times(open({ rate: 200 }), 20_000);
    const g = gapsOf(t);
    expect(mean(g)).toBeGreaterThan(5 * 0.97);
    expect(mean(g)).toBeLessThan(5 * 1.03);
    expect(cv(g)).toBeGreaterThan(0.96);
    expect(cv(g)).toBeLessThan(1.04);
    // Arrivals per 100 ms window: Poisson counts have variance ≈ mean (index of dispersion 1).
    const counts = new Map<number, number>();
    for (const x of t) counts.set(Math.floor(x / 100), (counts.get(Math.floor(x / 100)) ?? 0) + 1);
    const c = [...counts.values()].slice(1, -1);
    const m = mean(c);
    const dispersion = c.reduce((a, x) => a + (x - m) ** 2, 0) / (c.length - 1) / m;
    expect(m).toBeGreaterThan(19);
    expect(m).toBeLessThan(21);
    expect(dispersion).toBeGreaterThan(0.85);
    expect(dispersion).toBeLessThan(1.15);
  });

  it.each([0.25, 1, 4])('gamma with burstiness %s: mean gap 1/rate, CV 1/√burstiness', (k) => {
    const g = gapsOf(times(open({ arrival: 'gamma', burstiness: k, rate: 50 }), 20_000));
    expect(mean(g) / 20).toBeGreaterThan(0.96);
    expect(mean(g) / 20).toBeLessThan(1.04);
    expect(cv(g) * Math.sqrt(k)).toBeGreaterThan(0.94);
    expect(cv(g) * Math.sqrt(k)).toBeLessThan(1.06);
  });

  it('gamma deviates have mean k and variance k', () => {
    const rng = rngForKey([1, 2, 3]);
    for (const k of [0.5, 2.5]) {
      const xs = Array.from({ length: 20_000 }, () => gammaDeviate(rng, k));
      expect(mean(xs) / k).toBeGreaterThan(0.97);
      expect(mean(xs) / k).toBeLessThan(1.03);
    }
  });

  it('ramps the rate up linearly: half the steady arrivals during the ramp, then the full rate', () => {
    const t = times(open({ arrival: 'constant', rate: 100, rampUpS: 2 }), 1000);
    const during = t.filter((x) => x < 2000).length;
    expect(during).toBeGreaterThan(95);
    expect(during).toBeLessThan(105);
    const after = gapsOf(t.filter((x) => x >= 2100));
    expect(Math.max(...after.map((g) => Math.abs(g - 10)))).toBeLessThan(1e-6);
    // Gaps shrink through the ramp.
    const g = gapsOf(t.slice(0, 50));
    expect(g[1]!).toBeGreaterThan(g[40]!);
  });

  it('is a pure function of the seed', () => {
    expect(times(open(), 50, 3)).toEqual(times(open(), 50, 3));
    expect(times(open(), 50, 3)).not.toEqual(times(open(), 50, 4));
  });
});
