import { describe, expect, it } from 'vitest';
import { compareLog } from '../../src/gate/stats/noise.js';

/** noiseFloorRuns 0: a measured history stands alone. */
const measuredOnly = { minHistoryRuns: 3, noiseFloor: 0.05, noiseFloorRuns: 0 };
const withPrior = { ...measuredOnly, noiseFloorRuns: 1 };
const history = [0, 0.04, -0.04, 0.02, -0.02]; // mean 0, sample variance 0.001
const historySE = history.map(() => 0.01);

describe('compareLog with a measured history', () => {
  it('splits the variance into within-run noise and drift, with Satterthwaite degrees of freedom', () => {
    const result = compareLog({ ...measuredOnly, current: 0.1, currentSE: 0.01, history, historySE });
    expect(result.centre).toBeCloseTo(0, 15);
    expect(result.difference).toBeCloseTo(0.1, 15);
    // τ̂² = S² − w̄² = 0.0009; v = w꜀² + τ̂²(1 + 1/5) + w̄²/5 = 0.0001 + 0.00108 + 0.00002
    expect(result.se).toBeCloseTo(Math.sqrt(0.0012), 12);
    expect(result.drift).toBeCloseTo(0.03, 12);
    // The estimated part is 1.2·S² = 0.0012 = v, so the degrees of freedom are those of S²: k − 1.
    expect(result.df).toBeCloseTo(4, 12);
    expect(result.spread).toBeCloseTo(Math.sqrt(0.001), 12);
    expect(result).toMatchObject({ noiseSource: 'history', runs: 5, outliers: 0 });
  });

  it('judges the current run by its own sampling noise, whatever its size', () => {
    const small = compareLog({ ...measuredOnly, current: 0.1, currentSE: 0.03, history, historySE });
    // v = 0.0009 + 0.00108 + 0.00002; the known part adds 0.0008 to the estimated 0.0012: more degrees of freedom.
    expect(small.se).toBeCloseTo(Math.sqrt(0.002), 12);
    expect(small.df).toBeCloseTo(4 * (0.002 / 0.0012) ** 2, 10);
  });

  it('pools the spread with pseudo-runs at the assumed drift', () => {
    const result = compareLog({ ...withPrior, current: 0.1, currentSE: 0.01, history, historySE });
    // σ̂² = (1 · (0.05² + 0.01²) + 4 · 0.001) / 5 = 0.00132; τ̂² = 0.00122
    const pooled = (0.0026 + 0.004) / 5;
    const variance = 0.0001 + 1.2 * (pooled - 0.0001) + 0.00002;
    expect(result.se).toBeCloseTo(Math.sqrt(variance), 12);
    expect(result.drift).toBeCloseTo(Math.sqrt(pooled - 0.0001), 12);
    expect(result.df).toBeCloseTo(5 * (variance / (1.2 * pooled)) ** 2, 10);
    expect(result.spread).toBeCloseTo(Math.sqrt(0.001), 12);
  });

  it('takes the drift as 0 when the runs agree better than their own sampling noise allows', () => {
    const result = compareLog({
      ...measuredOnly,
      current: 0,
      currentSE: 0.03,
      history: [0.001, 0, -0.001],
      historySE: [0.03, 0.03, 0.03],
    });
    expect(result.drift).toBe(0);
    expect(result.spread).toBeCloseTo(0.03, 12);
    // v = 0.0009 + 0.0009/3, known but for the tiny S² (10⁻⁶): almost normal.
    expect(result.se).toBeCloseTo(Math.sqrt(0.0012), 12);
    expect(result.df).toBeGreaterThan(1e5);
  });

  it('sets an outlying run aside', () => {
    const withOutlier = [0, 0.01, 0.02, -0.01, 0.01, 0, 0.02, -0.01, 0.01, 0.3];
    const result = compareLog({
      ...measuredOnly,
      current: 0,
      currentSE: 0.01,
      history: withOutlier,
      historySE: withOutlier.map(() => 0.01),
    });
    expect(result).toMatchObject({ runs: 9, outliers: 1 });
    expect(result.centre).toBeCloseTo(0.05 / 9, 12);
  });
});

describe('compareLog with a short history', () => {
  it('assumes the floor for drift, takes it as known and says so', () => {
    const result = compareLog({
      ...withPrior,
      current: 0.05,
      currentSE: 0.03,
      history: [0.01, -0.01],
      historySE: [0.02, 0.04],
    });
    expect(result.centre).toBeCloseTo(0, 15);
    // v = w꜀² + floor²(1 + 1/2) + w̄²/2 = 0.0009 + 0.00375 + 0.0005
    expect(result.se).toBeCloseTo(Math.sqrt(0.00515), 12);
    expect(result).toMatchObject({
      df: Infinity,
      spread: null,
      drift: 0.05,
      noiseSource: 'within-run+floor',
      runs: 2,
      outliers: 0,
    });
  });

  it('rejects an empty or misaligned history', () => {
    const input = { ...withPrior, current: 0, currentSE: 0.01 };
    expect(() => compareLog({ ...input, history: [], historySE: [] })).toThrow(/at least one/);
    expect(() => compareLog({ ...input, history: [0], historySE: [] })).toThrow(/errors/);
  });
});
