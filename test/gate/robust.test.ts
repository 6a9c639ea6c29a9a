import { describe, expect, it } from 'vitest';
import { mean, median, sampleStandardDeviation, screenOutliers } from '../../src/gate/stats/robust.js';

describe('median, mean, sampleStandardDeviation', () => {
  it('compute the textbook values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(mean([1, 2, 6])).toBe(3);
    expect(sampleStandardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935299395, 12);
    expect(sampleStandardDeviation([1])).toBeNaN();
  });
});

describe('screenOutliers', () => {
  it('sets aside a value far from the rest by the modified z-score', () => {
    // median 0.01, MAD 0.01: the last value has modified z = 0.6745·0.29/0.01 ≈ 19.6.
    expect(screenOutliers([0, 0.01, 0.02, -0.01, 0.3])).toEqual([0, 1, 2, 3]);
  });

  it('keeps every value of a well-behaved history', () => {
    expect(screenOutliers([0.01, -0.02, 0.03, 0, -0.01, 0.02])).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('does not screen fewer than 5 values, or values whose MAD is 0', () => {
    expect(screenOutliers([0, 0.01, 5])).toEqual([0, 1, 2]);
    expect(screenOutliers([1, 1, 1, 1, 9])).toEqual([0, 1, 2, 3, 4]);
  });
});
