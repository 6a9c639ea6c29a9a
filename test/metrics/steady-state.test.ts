/**
 * The steady window, throughput by chunk arrival, stability, goodput and cost on a hand-computed fixture.
 *
 * Measured sends at 0 (A), 600 (B), 1000 (C), 1500 (D, fails), 2000 (E) and 3000 (F, the last send); a warmup request
 * W still streams when measurement starts. With warmup_s 1 and cooldown_s 1 the window is [1000, 3000 − 1000] =
 * [1000, 2000] ms, 1 s long, and describes C, D and E (sent inside it).
 * Tokens arriving inside it: W 2 @1050, C 1 @1100 + 4 @1900, B 3 @1200 + 2 @1600 → 12 tokens → 12 tok/s.
 * ok requests ending inside it: W @1050, B @1600, C @1900 → 3 req/s.
 */
import { describe as group, expect, it } from 'vitest';
import { outputTokenCost } from '../../src/metrics/cost.js';
import { goodput, goodputTpotMs, missedObjectives } from '../../src/metrics/goodput.js';
import { sliceCount, throughputStability } from '../../src/metrics/stability.js';
import { steadyRecords, steadyWindow } from '../../src/metrics/steady-window.js';
import { summarizeScenario } from '../../src/metrics/summary.js';
import { tokensByArrival, windowThroughput } from '../../src/metrics/window-throughput.js';
import { record } from './records.js';

const A = record({
  sentMs: 0,
  firstTokenMs: 400,
  endMs: 800,
  chunkMs: [400, 800],
  chunkTokens: [2, 2],
  outputTokens: 4,
  inputTokens: 10,
});
const B = record({
  sentMs: 600,
  firstTokenMs: 900,
  endMs: 1600,
  chunkMs: [900, 1200, 1600],
  chunkTokens: [1, 3, 2],
  outputTokens: 6,
  inputTokens: 20,
});
const C = record({
  sentMs: 1000,
  firstTokenMs: 1100,
  endMs: 1900,
  chunkMs: [1100, 1900],
  chunkTokens: [1, 4],
  outputTokens: 5,
  inputTokens: 100,
});
const D = record({
  sentMs: 1500,
  firstTokenMs: undefined,
  endMs: 1550,
  chunkMs: [],
  chunkTokens: [],
  outputTokens: 0,
  outcome: 'error',
  error: { category: 'http_5xx', detail: 'HTTP 500', status: 500 },
});
const E = record({
  sentMs: 2000,
  firstTokenMs: 2100,
  endMs: 3200,
  chunkMs: [2100, 2600, 3200],
  chunkTokens: [1, 1, 2],
  outputTokens: 4,
  inputTokens: 300,
  inputTokensUsage: 310,
});
const F = record({
  sentMs: 3000,
  firstTokenMs: 3100,
  endMs: 3100,
  chunkMs: [3100],
  chunkTokens: [1],
  outputTokens: 1,
  inputTokens: 40,
});
const W = record({
  warmup: true,
  sentMs: -500,
  firstTokenMs: -100,
  endMs: 1050,
  chunkMs: [-100, 1050],
  chunkTokens: [1, 2],
  outputTokens: 3,
  inputTokens: 1000,
});
const ALL = [F, W, E, D, C, B, A];
const TRIM = { warmupS: 1, cooldownS: 1 };

group('steady window', () => {
  it('starts warmup_s after the first measured send and ends cooldown_s before the last one', () => {
    expect(steadyWindow(ALL, TRIM)).toEqual({
      startMs: 1000,
      endMs: 2000,
      durationS: 1,
      sendEndMs: 2000,
      warmupS: 1,
      cooldownS: 1,
    });
  });

  it('describes the measured requests sent inside it, bounds included', () => {
    const window = steadyWindow(ALL, TRIM);
    expect(steadyRecords(ALL, window).map((r) => r.requestId)).toEqual([E, D, C].map((r) => r.requestId));
  });

  it('without trims runs from the first measured send to the last measured end (the drain counted)', () => {
    expect(steadyWindow(ALL)).toMatchObject({ startMs: 0, endMs: 3200, durationS: 3.2, sendEndMs: 3000 });
    expect(steadyRecords(ALL, steadyWindow(ALL))).toHaveLength(6);
  });

  it('is empty, not negative, when the trims cover the whole measured phase', () => {
    const window = steadyWindow(ALL, { warmupS: 2, cooldownS: 2 });
    expect(window).toMatchObject({ startMs: 2000, endMs: 2000, durationS: 0, sendEndMs: 1000 });
    expect(steadyRecords(ALL, window)).toEqual([]);
  });

  it('is null without measured requests and rejects a negative trim by name', () => {
    expect(steadyWindow([W])).toBeNull();
    expect(() => steadyWindow(ALL, { warmupS: -1, cooldownS: 0 })).toThrow(/warmupS/);
  });
});

group('throughput by chunk arrival', () => {
  it('counts the tokens that arrived inside the window, whoever sent them', () => {
    expect(tokensByArrival(ALL, 1000, 2000)).toEqual([12]);
    const t = windowThroughput(ALL, 1000, 2000);
    expect(t.outputTokensPerS).toBe(12);
    expect(t.requestsPerS).toBe(3);
    // inputs of W, B and C, which ended inside, plus the 12 output tokens
    expect(t.totalTokensPerS).toBe(1000 + 20 + 100 + 12);
  });

  it('bins tokens into equal slices, a chunk on the end bound in the last one', () => {
    expect(tokensByArrival(ALL, 1000, 2000, 4)).toEqual([6, 0, 2, 4]);
    expect(tokensByArrival([C], 1100, 1900, 2)).toEqual([1, 4]);
  });

  it('leaves failed requests out and rejects bad bounds', () => {
    expect(tokensByArrival([{ ...C, outcome: 'cut_off' }], 0, 5000)).toEqual([0]);
    expect(() => tokensByArrival(ALL, 10, 0)).toThrow(/startMs ≤ endMs/);
    expect(() => tokensByArrival(ALL, 0, 10, 0)).toThrow(/bins/);
  });
});

group('stability', () => {
  it('is the CV of output tok/s over 10 slices of the loaded window', () => {
    const window = steadyWindow(ALL, TRIM);
    if (window === null) throw new Error('no window');
    const s = throughputStability(ALL, window);
    // 100 ms slices: 2 @1050, 1 @1100, 3 @1200, 2 @1600, 4 @1900 → tokens [2,1,3,0,0,0,2,0,0,4] → ×10 per second
    expect(s?.outputTokensPerS.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([
      20, 10, 30, 0, 0, 0, 20, 0, 0, 40,
    ]);
    expect(s?.sliceS).toBeCloseTo(0.1, 12);
    // mean 12, squared deviations sum 1960 → population sd 14
    expect(s?.cv).toBeCloseTo(14 / 12, 12);
  });

  it('stops at the last send when the drain is kept (no cooldown)', () => {
    const window = steadyWindow(ALL);
    if (window === null) throw new Error('no window');
    expect(throughputStability(ALL, window)).toMatchObject({ startMs: 0, endMs: 3000 });
  });

  it('uses about 5 s slices past 50 s, and is null for a window without a loaded part', () => {
    expect(sliceCount(50)).toBe(10);
    expect(sliceCount(57)).toBe(11);
    expect(sliceCount(600)).toBe(120);
    const burst = [record({ sentMs: 0 }), record({ sentMs: 0 })];
    const window = steadyWindow(burst);
    if (window === null) throw new Error('no window');
    expect(throughputStability(burst, window)).toBeNull();
  });

  it('has no CV when nothing arrived', () => {
    const window = steadyWindow([D, { ...D, sentMs: 2000, endMs: 2050 }]);
    if (window === null) throw new Error('no window');
    expect(throughputStability([D], window)?.cv).toBeNull();
  });
});

group('goodput', () => {
  const described = [C, D, E];

  it('counts failed requests in the denominator, never meeting', () => {
    // C: TTFT 100, TPOT (900 − 100) ÷ 4 = 200 → meets; D failed; E: TTFT 100, TPOT (1200 − 100) ÷ 3 ≈ 367 → misses
    const g = goodput(described, { ttft_ms: 150, tpot_ms: 300 }, 1);
    expect(g).toEqual({
      slo: { ttft_ms: 150, tpot_ms: 300 },
      requests: 3,
      met: 1,
      share: 1 / 3,
      requestsPerS: 1,
      failed: 1,
      missedBy: { ttft_ms: 0, tpot_ms: 1 },
    });
  });

  it('meets an objective at exactly its value and misses above it', () => {
    expect(missedObjectives(C, { ttft_ms: 100, e2el_ms: 899 })).toEqual(['e2el_ms']);
  });

  it('treats TPOT of a 1-token output as 0, as vLLM does, and a request without content as missing TTFT', () => {
    const oneToken = record({ sentMs: 0, firstTokenMs: 50, endMs: 60, outputTokens: 1 });
    expect(goodputTpotMs(oneToken)).toBe(0);
    expect(missedObjectives(oneToken, { tpot_ms: 1 })).toEqual([]);
    const empty = record({ firstTokenMs: undefined, chunkMs: [], chunkTokens: [], outputTokens: 0 });
    expect(missedObjectives(empty, { ttft_ms: 1000 })).toEqual(['ttft_ms']);
  });

  it('has no share without requests and no rate without a window', () => {
    expect(goodput([], { e2el_ms: 1 }, 0)).toMatchObject({ share: null, requestsPerS: null });
  });
});

group('cost per 1M output tokens', () => {
  it('divides an hourly price by the output throughput', () => {
    expect(outputTokenCost({ usd_per_hour: 36 }, [], 12).usdPerMillionOutputTokens).toBeCloseTo(
      (36 / (12 * 3600)) * 1e6,
      9,
    );
    expect(outputTokenCost({ usd_per_hour: 36 }, [], null)).toEqual({
      basis: 'instance',
      usdPerMillionOutputTokens: null,
    });
  });

  it('folds input token prices into output tokens, with server-reported inputs where given', () => {
    // ok described requests C and E: inputs 100 + 310 (usage) = 410, outputs 5 + 4 = 9; D failed is not priced
    const cost = outputTokenCost(
      { usd_per_million_input_tokens: 1, usd_per_million_output_tokens: 2 },
      [C, D, E],
      12,
    );
    expect(cost.basis).toBe('tokens');
    expect(cost.usdPerMillionOutputTokens).toBeCloseTo((1 * 410 + 2 * 9) / 9, 12);
    expect(
      outputTokenCost({ usd_per_million_output_tokens: 2 }, [D], 0).usdPerMillionOutputTokens,
    ).toBeNull();
  });
});

group('summarizeScenario with steady state, SLO and price', () => {
  const summary = summarizeScenario(ALL, {
    steadyState: TRIM,
    slo: { ttft_ms: 150, tpot_ms: 300 },
    cost: { usd_per_hour: 36 },
  });

  it('describes only the requests sent inside the window', () => {
    expect(summary.requests).toEqual({
      measured: 3,
      ok: 2,
      errors: 1,
      cutOff: 0,
      warmupExcluded: 1,
      trimmed: 3,
    });
    expect(summary.errorRate).toBe(1 / 3);
    expect(summary.metrics.ttft_ms).toMatchObject({ count: 2, min: 100, max: 100 });
    expect(summary.tokens.outputTokens).toBe(9);
  });

  it('reports throughput by arrival, stability, goodput and cost over it', () => {
    expect(summary.throughput).toEqual({ outputTokensPerS: 12, requestsPerS: 3, totalTokensPerS: 1132 });
    expect(summary.stability?.cv).toBeCloseTo(14 / 12, 12);
    expect(summary.goodput).toMatchObject({ requests: 3, met: 1, failed: 1 });
    expect(summary.cost?.usdPerMillionOutputTokens).toBeCloseTo((36 / (12 * 3600)) * 1e6, 9);
  });

  it('counts every ok token of the run when nothing is trimmed', () => {
    // [0, 3200]: A 4, B 6, C 5, E 4, F 1, and W's 2 tokens at 1050 (its token at −100 is before the window)
    const whole = summarizeScenario(ALL);
    expect(whole.throughput.outputTokensPerS).toBeCloseTo(22 / 3.2, 12);
    expect(whole.requests).toMatchObject({ measured: 6, trimmed: 0 });
    expect(whole.goodput).toBeUndefined();
    expect(whole.cost).toBeUndefined();
  });
});
