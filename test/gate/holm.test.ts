import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../src/gate/stats/holm.js';

describe('holmAdjust', () => {
  it('matches a hand computation', () => {
    // Sorted: 0.005 (×4 = 0.02), 0.01 (×3 = 0.03), 0.03 (×2 = 0.06), 0.04 (×1 = 0.04 → 0.06, monotone).
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((expected, i) => expect(adjusted[i]).toBeCloseTo(expected, 12));
  });

  it('caps at 1 and keeps monotonicity', () => {
    expect(holmAdjust([0.5, 0.6])).toEqual([1, 1]);
    const adjusted = holmAdjust([0.2, 0.01, 0.3]);
    [0.4, 0.03, 0.4].forEach((expected, i) => expect(adjusted[i]).toBeCloseTo(expected, 12));
  });

  it('leaves a single p-value and an empty family as they are', () => {
    expect(holmAdjust([0.042])).toEqual([0.042]);
    expect(holmAdjust([])).toEqual([]);
  });

  it('names a p-value outside [0, 1]', () => {
    expect(() => holmAdjust([0.1, 1.5])).toThrow(/p-value 1/);
    expect(() => holmAdjust([NaN])).toThrow(/p-value 0/);
  });
});
