import { describe, expect, it } from 'vitest';
import { mean, sampleStandardDeviation, screenOutliers } from '../../src/gate/stats/robust.js';
import { createRng } from '../../src/gate/stats/rng.js';

describe('mean, sampleStandardDeviation', () => {
  it('compute the textbook values', () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(sampleStandardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935299395, 12);
    expect(sampleStandardDeviation([1])).toBeNaN();
  });
});

describe('screenOutliers', () => {
  it('sets aside a run the others’ spread cannot explain', () => {
    expect(screenOutliers([0, 0.01, 0.02, -0.01, 0.3])).toEqual([0, 1, 2, 3]);
    expect(screenOutliers([0, 0.01, 0.02, -0.01, 0.01, 0, 0.02, -0.01, -0.25, 0.3])).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ]);
  });

  it('keeps every run of a well-behaved history, and screens none of fewer than 5 or all tied', () => {
    expect(screenOutliers([0.01, -0.02, 0.03, 0, -0.01, 0.02])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(screenOutliers([0, 0.01, 5])).toEqual([0, 1, 2]);
    expect(screenOutliers([1, 1, 1, 1, 1])).toEqual([0, 1, 2, 3, 4]);
  });

  it('sets aside about 1% of normal histories (the Iglewicz–Hoaglin screen: 10–21%)', () => {
    const rng = createRng(3);
    for (const size of [5, 10, 20]) {
      let screened = 0;
      for (let i = 0; i < 1500; i++) {
        const values = Array.from({ length: size }, () => rng.normal());
        if (screenOutliers(values).length < size) screened++;
      }
      expect(screened / 1500).toBeGreaterThan(0.003);
      expect(screened / 1500).toBeLessThan(0.025);
    }
  });
});
