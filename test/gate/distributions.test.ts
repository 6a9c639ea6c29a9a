import { describe, expect, it } from 'vitest';
import {
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTPdf,
  studentTQuantile,
} from '../../src/gate/stats/distributions.js';

// Reference values: scipy 1.17 (stats.norm.ppf/cdf, stats.t.ppf/cdf).
const close = (actual: number, expected: number, relative = 1e-10) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1e-300, Math.abs(expected)));

describe('normal distribution', () => {
  it.each([
    [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813],
    [0.025, -1.9599639845400545],
    [0.05, -1.6448536269514729],
    [0.5, 0],
    [0.8, 0.8416212335729143],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
  ])('quantile(%s) = %s', (p, z) => close(normalQuantile(p), z));

  it.each([
    [-10, 7.61985302416047e-24],
    [-5, 2.866515718791933e-7],
    [-1.5, 0.06680720126885807],
    [0, 0.5],
    [0.7, 0.758036347776927],
    [3, 0.9986501019683699],
  ])('cdf(%s) = %s, accurate in the far tail', (x, p) => close(normalCdf(x), p, 1e-9));

  it('handles the ends and rejects probabilities outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.2)).toThrow(/probability/);
  });
});

describe('Student t distribution', () => {
  it.each([
    [1, [3.0776835371752544, 12.706204736174694, 63.656741162871526, 3183.098757118502]],
    [2, [1.8856180831641272, 4.302652729749462, 9.924843200918287, 70.70007107496818]],
    [3, [1.637744353696209, 3.1824463052837078, 5.840909309733355, 22.203742273205]],
    [4, [1.533206274058944, 2.7764451051977934, 4.604094871349992, 13.033671720896821]],
    [7.5, [1.4052118464159533, 2.333039626864974, 3.421422688124044, 6.722227175060811]],
    [19, [1.3277282090267986, 2.0930240544083087, 2.8609346064649794, 4.589864596755082]],
    [100, [1.290074761346516, 1.9839715185235518, 2.6258905214380173, 3.861599790950091]],
  ])('quantiles with %s degrees of freedom at 0.9, 0.975, 0.995, 0.9999', (df, expected) => {
    [0.9, 0.975, 0.995, 0.9999].forEach((p, i) =>
      close(studentTQuantile(p, df), expected[i] as number, 1e-9),
    );
    close(studentTQuantile(0.1, df), -(expected[0] as number), 1e-9);
  });

  it.each([
    [1, -3, 0.10241638234956672],
    [2, 0.5, 0.6666666666666666],
    [4, 2.5, 0.966616727594006],
    [9, -1.2, 0.13038659869523075],
    [19, 3.7, 0.9992401280009507],
    [3.5, 10, 0.9994642620521936],
  ])('cdf with %s degrees of freedom at %s', (df, t, p) => close(studentTCdf(t, df), p, 1e-10));

  it('tends to the normal distribution with infinite degrees of freedom', () => {
    expect(studentTQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
    expect(studentTCdf(1.3, Infinity)).toBe(normalCdf(1.3));
    close(studentTPdf(0.4, 1e7), studentTPdf(0.4, Infinity), 1e-6);
  });

  it('rejects non-positive degrees of freedom', () => {
    expect(() => studentTQuantile(0.9, 0)).toThrow(/degrees of freedom/);
    expect(() => studentTCdf(1, -2)).toThrow(/degrees of freedom/);
  });
});
