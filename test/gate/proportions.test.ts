import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../src/gate/stats/distributions.js';
import {
  newcombeDifferenceInterval,
  rateIncreasePValue,
  wilsonInterval,
} from '../../src/gate/stats/proportions.js';

const z95 = normalQuantile(0.975);

describe('wilsonInterval', () => {
  it('matches the closed form (computed with numpy)', () => {
    const [low0, high0] = wilsonInterval({ errors: 0, total: 200 }, z95);
    expect(low0).toBe(0);
    expect(high0).toBeCloseTo(0.018845326377266575, 12);
    const [low, high] = wilsonInterval({ errors: 10, total: 200 }, z95);
    expect(low).toBeCloseTo(0.02738264560076393, 12);
    expect(high).toBeCloseTo(0.08957814813877599, 12);
  });

  it('names an invalid count', () => {
    expect(() => wilsonInterval({ errors: 3, total: 2 }, z95)).toThrow(
      /errors must be an integer within \[0, 2\]/,
    );
    expect(() => wilsonInterval({ errors: 0, total: 0 }, z95)).toThrow(/total must be a positive integer/);
  });
});

describe('newcombeDifferenceInterval', () => {
  it("reproduces Newcombe's (1998) worked example: 56/70 − 48/80, method 10", () => {
    const [low, high] = newcombeDifferenceInterval({ errors: 56, total: 70 }, { errors: 48, total: 80 }, z95);
    expect(low).toBeCloseTo(0.0524, 4);
    expect(high).toBeCloseTo(0.3339, 4);
  });

  it('stays finite and contains 0 when neither side has errors', () => {
    const [low, high] = newcombeDifferenceInterval(
      { errors: 0, total: 200 },
      { errors: 0, total: 1000 },
      z95,
    );
    expect(low).toBeLessThan(0);
    expect(high).toBeGreaterThan(0);
    expect(high).toBeLessThan(0.02);
  });
});

describe('rateIncreasePValue (Fisher exact, one-sided)', () => {
  it.each([
    [3, 200, 4, 2000, 0.019671909177836275],
    [1, 200, 0, 1000, 0.16666666666666666],
    [10, 200, 2, 1000, 6.590051419284671e-7],
    [5, 100, 5, 100, 0.626235124935476],
    [0, 200, 3, 1000, 1],
  ])('%s/%s against %s/%s gives scipy.stats.fisher_exact p = %s', (x1, n1, x2, n2, expected) => {
    const p = rateIncreasePValue({ errors: x1, total: n1 }, { errors: x2, total: n2 });
    expect(Math.abs(p - expected)).toBeLessThanOrEqual(1e-9 * expected + 1e-15);
  });

  it('is 1 with no errors on either side', () => {
    expect(rateIncreasePValue({ errors: 0, total: 200 }, { errors: 0, total: 1000 })).toBe(1);
  });
});
