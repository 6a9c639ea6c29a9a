import { describe, expect, it } from 'vitest';
import { compareLog } from '../../src/gate/stats/noise.js';

/** noiseFloorRuns = minHistoryRuns: a measured history stands alone. */
const measuredOnly = { minHistoryRuns: 3, noiseFloor: 0.05, noiseFloorRuns: 3 };
const blended = { ...measuredOnly, noiseFloorRuns: 10 };
const history = [0, 0.04, -0.04, 0.02, -0.02]; // mean 0, sample variance 0.001
const historySE = history.map(() => 0.01);

describe('compareLog with a measured history', () => {
  it('uses the mean, the sample variance and k − 1 degrees of freedom', () => {
    const result = compareLog({ ...measuredOnly, current: 0.1, currentSE: 0.01, history, historySE });
    expect(result.centre).toBeCloseTo(0, 15);
    expect(result.difference).toBeCloseTo(0.1, 15);
    // v = (S² − w̄²) + w꜀² + S²/k = 0.0009 + 0.0001 + 0.0002
    expect(result.se).toBeCloseTo(Math.sqrt(0.0012), 12);
    expect(result.df).toBe(4);
    expect(result.spread).toBeCloseTo(Math.sqrt(0.001), 12);
    expect(result).toMatchObject({ noiseSource: 'history', runs: 5, outliers: 0 });
  });

  it('blends in the assumed drift for the runs it lacks', () => {
    const result = compareLog({ ...blended, current: 0.1, currentSE: 0.01, history, historySE });
    // σ² = (4 · 0.001 + 5 · (0.05² + 0.01²)) / 9; v = σ² − 0.0001 + 0.0001 + σ²/5
    const sigma2 = (4 * 0.001 + 5 * 0.0026) / 9;
    expect(result.se).toBeCloseTo(Math.sqrt(sigma2 * 1.2), 12);
    expect(result.df).toBe(9);
    expect(result.spread).toBeCloseTo(Math.sqrt(0.001), 12);
    expect(result.noiseSource).toBe('history');
  });

  it('floors the spread at the runs’ own sampling noise', () => {
    const result = compareLog({
      ...measuredOnly,
      current: 0,
      currentSE: 0.03,
      history: [0.001, 0, -0.001],
      historySE: [0.03, 0.03, 0.03],
    });
    expect(result.spread).toBeCloseTo(0.03, 12);
    // v = 0 + 0.0009 + 0.0009/3
    expect(result.se).toBeCloseTo(Math.sqrt(0.0012), 12);
  });

  it('sets an outlying run aside', () => {
    const withOutlier = [0, 0.01, 0.02, -0.01, 0.3];
    const result = compareLog({
      ...measuredOnly,
      current: 0,
      currentSE: 0.01,
      history: withOutlier,
      historySE: withOutlier.map(() => 0.01),
    });
    expect(result).toMatchObject({ runs: 4, outliers: 1, df: 3 });
    expect(result.centre).toBeCloseTo(0.005, 12);
  });
});

describe('compareLog with a short history', () => {
  it('assumes the floor for drift and says so', () => {
    const result = compareLog({
      ...blended,
      current: 0.05,
      currentSE: 0.03,
      history: [0.01, -0.01],
      historySE: [0.02, 0.04],
    });
    expect(result.centre).toBeCloseTo(0, 15);
    // v = floor² + w꜀² + (floor² + w̄²)/k = 0.0025 + 0.0009 + (0.0025 + 0.001)/2
    expect(result.se).toBeCloseTo(Math.sqrt(0.00515), 12);
    expect(result).toMatchObject({
      df: 9,
      spread: null,
      noiseSource: 'within-run+floor',
      runs: 2,
      outliers: 0,
    });
  });

  it('rejects an empty or misaligned history and a floor weight below minHistoryRuns', () => {
    const input = { ...blended, current: 0, currentSE: 0.01 };
    expect(() => compareLog({ ...input, history: [], historySE: [] })).toThrow(/at least one/);
    expect(() => compareLog({ ...input, history: [0], historySE: [] })).toThrow(/errors/);
    expect(() => compareLog({ ...input, noiseFloorRuns: 2, history: [0], historySE: [0.01] })).toThrow(
      /noiseFloorRuns/,
    );
  });
});
