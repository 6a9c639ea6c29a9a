import { describe, expect, it } from 'vitest';
import { sloBreaches, summarizeSweep } from '../../src/metrics/sweep.js';
import { LEVELS, levelSummary } from './sweep-levels.js';

describe('summarizeSweep', () => {
  it('tabulates the levels by increasing load and marks the knee', () => {
    const sweep = summarizeSweep({
      scenario: 'chat',
      parameter: 'concurrency',
      levels: [...LEVELS].reverse(),
    });
    expect(sweep.points.map((p) => p.value)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(sweep.points[3]).toEqual({
      name: 'chat@c8',
      value: 8,
      valid: true,
      outputTokensPerS: 1950,
      requestsPerS: 19.5,
      ttftP50Ms: 30,
      ttftP95Ms: 39,
      tpotP50Ms: 25,
      tpotP95Ms: 29.5,
      e2elP95Ms: 1039,
      errorRate: 0,
      usdPerMillionOutputTokens: 3600 / 1950,
    });
    expect(sweep.knee).toEqual({ index: 3, name: 'chat@c8', value: 8, outputTokensPerS: 1950 });
    expect(sweep.kneeNote).toBe(
      'concurrency 8: it reaches 97.0% of the best throughput (at least 90.0%), and concurrency 16 changes it by ' +
        '+2.6% per doubling of load (less than +10.0%)',
    );
    expect(sweep).not.toHaveProperty('capacity');
    expect(sweep.points[0]).not.toHaveProperty('sloBreaches');
  });

  it('finds the capacity: the highest throughput whose p95 TTFT and TPOT stay within the SLO', () => {
    const sweep = summarizeSweep({
      scenario: 'chat',
      parameter: 'concurrency',
      levels: LEVELS,
      slo: { ttft_ms: 500, tpot_ms: 50 },
    });
    // p95 TTFT: c16 0.95 × 400 + … = 390 ≤ 500; c32 1170 > 500
    expect(sweep.capacity).toEqual({ index: 4, name: 'chat@c16', value: 16, outputTokensPerS: 2000 });
    expect(sweep.points.map((p) => p.sloBreaches)).toEqual([[], [], [], [], [], ['ttft_ms']]);
    expect(sweep.slo).toEqual({ ttft_ms: 500, tpot_ms: 50 });
    expect(sweep.points[0]?.goodputShare).toBeNull();
  });

  it('has no capacity when no valid level meets the SLO, and never picks an invalid one', () => {
    const tight = summarizeSweep({
      scenario: 'chat',
      parameter: 'concurrency',
      levels: LEVELS,
      slo: { ttft_ms: 1 },
    });
    expect(tight.capacity).toBeNull();
    const invalidBest = LEVELS.map((l) => (l.value === 16 ? { ...l, valid: false } : l));
    const sweep = summarizeSweep({
      scenario: 'chat',
      parameter: 'concurrency',
      levels: invalidBest,
      slo: { ttft_ms: 500 },
    });
    expect(sweep.capacity?.value).toBe(8);
  });

  it('says why there is no knee', () => {
    const rising = LEVELS.slice(0, 3);
    expect(summarizeSweep({ scenario: 'chat', parameter: 'concurrency', levels: rising }).kneeNote).toBe(
      'none within the sweep: throughput still rises +100.0% per doubling of load into the highest level',
    );
    const one = summarizeSweep({ scenario: 'r', parameter: 'rate', levels: LEVELS.slice(0, 1) });
    expect(one.knee).toBeNull();
    expect(one.kneeNote).toMatch(/^none: .*two valid levels/);
  });
});

describe('sloBreaches', () => {
  it('judges each objective the SLO sets at p95', () => {
    const s = levelSummary({ tokensPerS: 1, ttft: [100, 300], tpot: [10, 60], e2el: [900, 1100] });
    // p95: TTFT 290, TPOT 57.5, E2EL 1090
    expect(sloBreaches(s, { ttft_ms: 290, tpot_ms: 50, e2el_ms: 2000 })).toEqual(['tpot_ms']);
    expect(sloBreaches(s, { e2el_ms: 1000 })).toEqual(['e2el_ms']);
  });

  it('meets a TPOT objective without TPOT values (1-token outputs) but breaks everything without ok requests', () => {
    const oneToken = levelSummary({ tokensPerS: 1, ttft: [10], tpot: [] });
    expect(sloBreaches(oneToken, { tpot_ms: 1 })).toEqual([]);
    const none = levelSummary({ tokensPerS: 0, ttft: [] });
    expect(sloBreaches(none, { ttft_ms: 1e9, tpot_ms: 1e9 })).toEqual(['ttft_ms', 'tpot_ms']);
  });
});
