import { describe as group, expect, it } from 'vitest';
import { METRIC_IDS } from '../../src/metrics/definitions.js';
import { samples } from '../../src/metrics/samples.js';
import { EMPTY_DISTRIBUTION } from '../../src/metrics/statistics.js';
import { summarizeScenario } from '../../src/metrics/summary.js';
import { ERROR_CATEGORIES } from '../../src/providers/types.js';
import { record } from './records.js';

// A warmup request, two ok requests, one HTTP 503 and one request cut off at the 2 s deadline.
const warmup = record({
  warmup: true,
  scheduledMs: -900,
  sentMs: -900,
  firstTokenMs: -850,
  endMs: -100,
  chunkMs: [-850, -100],
  chunkTokens: [1, 99],
  outputTokens: 100,
  inputTokens: 1000,
  outputTokensUsage: 100,
  outputTokensTokenizer: 50,
});
const ok1 = record({
  scheduledMs: 0,
  sentMs: 0,
  firstTokenMs: 100,
  endMs: 1000,
  chunkMs: [100, 300, 500, 1000],
  chunkTokens: [1, 2, 3, 4],
  inputTokens: 100,
  outputTokens: 10,
  outputTokensSource: 'usage',
  outputTokensUsage: 10,
  outputTokensTokenizer: 11,
});
const ok2 = record({
  scheduledMs: 5,
  sentMs: 10,
  firstTokenMs: 210,
  endMs: 1510,
  chunkMs: [210, 1510],
  chunkTokens: [10, 10],
  inputTokens: 200,
  outputTokens: 20,
  outputTokensSource: 'tokenizer',
  outputTokensTokenizer: 20,
});
const failed = record({
  sentMs: 20,
  firstTokenMs: undefined,
  endMs: 50,
  chunkMs: [],
  chunkTokens: [],
  outputTokens: 0,
  outcome: 'error',
  error: { category: 'http_5xx', detail: 'HTTP 503 Service Unavailable', status: 503 },
});
const cutOff = record({
  sentMs: 30,
  firstTokenMs: 130,
  endMs: 2000,
  chunkMs: [130, 140],
  chunkTokens: [1, 1],
  inputTokens: 300,
  outputTokens: 2,
  outcome: 'cut_off',
});
const all = [cutOff, warmup, ok2, failed, ok1];

group('summarizeScenario on a hand-built scenario', () => {
  const summary = summarizeScenario(all);

  it('counts requests and leaves warmup out', () => {
    expect(summary.requests).toEqual({
      measured: 4,
      ok: 2,
      errors: 1,
      cutOff: 1,
      warmupExcluded: 1,
      trimmed: 0,
    });
  });

  it('computes the error rate from errors and cut-offs, with counts per category', () => {
    expect(summary.errorRate).toBe(0.5);
    expect(Object.keys(summary.errorsByCategory).sort()).toEqual([...ERROR_CATEGORIES].sort());
    expect(summary.errorsByCategory.http_5xx).toBe(1);
    const others = ERROR_CATEGORIES.filter((c) => c !== 'http_5xx').map((c) => summary.errorsByCategory[c]);
    expect(others.every((n) => n === 0)).toBe(true);
  });

  it('spans the window from the first measured send to the last measured end (cut-off included)', () => {
    expect(summary.window).toEqual({
      startMs: 0,
      endMs: 2000,
      durationS: 2,
      sendEndMs: 30,
      warmupS: 0,
      cooldownS: 0,
    });
  });

  it('computes throughput over the window from ok requests only', () => {
    expect(summary.throughput.outputTokensPerS).toBe((10 + 20) / 2);
    expect(summary.throughput.requestsPerS).toBe(2 / 2);
    expect(summary.throughput.totalTokensPerS).toBe((100 + 10 + 200 + 20) / 2);
  });

  it('builds latency distributions from ok measured requests only', () => {
    // TTFT 100 and 200 ms: the cut-off request's 100 ms and the warmup's 50 ms are not in it
    expect(summary.metrics.ttft_ms).toEqual({
      count: 2,
      mean: 150,
      stddev: 50,
      min: 100,
      max: 200,
      p50: 150,
      p90: 190,
      p95: 195,
      p99: 199,
    });
    expect(summary.metrics.e2el_ms).toMatchObject({ count: 2, min: 1000, max: 1500, mean: 1250 });
    expect(summary.metrics.tpot_ms).toMatchObject({ count: 2, min: 1300 / 19, max: 900 / 9 });
    expect(summary.metrics.output_tokens).toMatchObject({ count: 2, min: 10, max: 20 });
    expect(summary.metrics.dispatch_lag_ms).toMatchObject({ count: 2, min: 0, max: 5 });
    expect(summary.metrics.ttfat_ms).toEqual(EMPTY_DISTRIBUTION);
  });

  it('pools ITL per token across requests', () => {
    // ok1: 200/2 ×2, 200/3 ×3, 500/4 ×4; ok2: 1300/10 ×10
    expect(summary.metrics.itl_ms).toMatchObject({ count: 19, min: 200 / 3, max: 130 });
    const itl = summary.metrics.itl_ms;
    if (itl.mean === null) throw new Error('ITL distribution is empty');
    expect(itl.mean).toBeCloseTo((200 + 200 + 500 + 1300) / 19, 9);
  });

  it('accounts for token sources, usage/tokenizer disagreement and multi-token chunks', () => {
    expect(summary.tokens).toEqual({
      inputTokens: 300,
      outputTokens: 30,
      outputTokensSource: { usage: 1, tokenizer: 1, chunks: 0 },
      usageVsTokenizer: {
        compared: 1,
        differing: 1,
        differingShare: 1,
        meanRelativeDiff: 1 / 11,
        maxRelativeDiff: 1 / 11,
      },
      chunks: { total: 6, multiToken: 5, multiTokenShare: 5 / 6 },
    });
  });

  it('has a distribution for every metric id', () => {
    expect(Object.keys(summary.metrics)).toEqual([...METRIC_IDS]);
  });

  it('does not depend on record order', () => {
    expect(summarizeScenario([...all].reverse())).toEqual(summary);
  });
});

group('summarizeScenario edge cases', () => {
  it('summarises no records as empty, with nulls instead of NaN', () => {
    const summary = summarizeScenario([]);
    expect(summary.window).toBeNull();
    expect(summary.errorRate).toBeNull();
    expect(summary.requests).toEqual({
      measured: 0,
      ok: 0,
      errors: 0,
      cutOff: 0,
      warmupExcluded: 0,
      trimmed: 0,
    });
    expect(summary.stability).toBeNull();
    expect(summary.throughput).toEqual({ outputTokensPerS: null, requestsPerS: null, totalTokensPerS: null });
    for (const id of METRIC_IDS) expect(summary.metrics[id]).toEqual(EMPTY_DISTRIBUTION);
    expect(summary.tokens.usageVsTokenizer.differingShare).toBeNull();
    expect(summary.tokens.chunks.multiTokenShare).toBeNull();
    expect(JSON.stringify(summary)).not.toMatch(/NaN|Infinity/);
  });

  it('summarises only warmup records as empty', () => {
    const summary = summarizeScenario([warmup]);
    expect(summary.window).toBeNull();
    expect(summary.requests.warmupExcluded).toBe(1);
    expect(summary.tokens.outputTokens).toBe(0);
  });

  it('summarises a single request', () => {
    const one = record({ sentMs: 0, firstTokenMs: 80, endMs: 500, chunkMs: [80, 500], chunkTokens: [1, 4] });
    const summary = summarizeScenario([{ ...one, outputTokens: 5 }]);
    expect(summary.window).toMatchObject({ startMs: 0, endMs: 500, durationS: 0.5 });
    expect(summary.throughput).toEqual({ outputTokensPerS: 10, requestsPerS: 2, totalTokensPerS: 30 });
    expect(summary.metrics.ttft_ms).toMatchObject({ count: 1, mean: 80, stddev: 0, p99: 80 });
    expect(summary.metrics.itl_ms).toMatchObject({ count: 4, p50: 105 });
    expect(summary.errorRate).toBe(0);
  });

  it('has no throughput when every measured request failed, but a window and an error rate', () => {
    const summary = summarizeScenario([failed]);
    expect(summary.window).toMatchObject({ startMs: 20, endMs: 50, durationS: 0.03 });
    expect(summary.errorRate).toBe(1);
    expect(summary.throughput).toEqual({ outputTokensPerS: 0, requestsPerS: 0, totalTokensPerS: 0 });
    expect(summary.metrics.e2el_ms).toEqual(EMPTY_DISTRIBUTION);
  });

  it('reports null rates for a zero-length window', () => {
    const instant = record({ sentMs: 7, firstTokenMs: 7, endMs: 7, chunkMs: [7] });
    expect(summarizeScenario([instant]).throughput.requestsPerS).toBeNull();
  });

  it('rejects records of several scenarios', () => {
    expect(() => summarizeScenario([ok1, { ...ok2, scenario: 'long' }])).toThrow(
      /several scenarios: chat, long/,
    );
  });

  it('rejects an error record without a category, naming the request', () => {
    const { error: _error, ...noCategory } = failed;
    expect(() => summarizeScenario([noCategory])).toThrow(
      new RegExp(`request ${failed.requestId} .*no error category`),
    );
  });
});

group('samples', () => {
  it('pools raw values of measured ok requests in record order', () => {
    const pooled = samples(all);
    expect(pooled.e2el_ms).toEqual([1500, 1000]);
    expect(pooled.ttft_ms).toEqual([200, 100]);
    expect(pooled.itl_ms).toHaveLength(19);
    expect(Object.keys(pooled)).toEqual([...METRIC_IDS]);
  });

  it('rebuilds a resample of requests exactly', () => {
    expect(samples([ok1, ok1]).itl_ms).toEqual([...samples([ok1]).itl_ms, ...samples([ok1]).itl_ms]);
  });
});
