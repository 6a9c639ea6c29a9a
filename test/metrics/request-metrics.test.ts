import { describe as group, expect, it } from 'vitest';
import {
  dispatchLagMs,
  e2elMs,
  itlMs,
  requestOutputTokensPerS,
  requestSamples,
  tpotMs,
  ttfatMs,
  ttftMs,
} from '../../src/metrics/request-metrics.js';
import { record } from './records.js';

// Sent at 2 ms (scheduled at 0), five chunks carrying 1, 1, 2, 3 and 1 tokens, stream ends at 400 ms.
const streamed = record({
  scheduledMs: 0,
  sentMs: 2,
  firstTokenMs: 102,
  endMs: 400,
  chunkMs: [102, 152, 212, 302, 392],
  chunkTokens: [1, 1, 2, 3, 1],
  outputTokens: 8,
});

group('per-request latencies', () => {
  it('TTFT is first token − sent, E2EL is end − sent, dispatch lag is sent − scheduled (ms)', () => {
    expect(ttftMs(streamed)).toBe(100);
    expect(e2elMs(streamed)).toBe(398);
    expect(dispatchLagMs(streamed)).toBe(2);
    expect(dispatchLagMs(record({ scheduledMs: 1000, sentMs: 1012.5 }))).toBe(12.5);
  });

  it('TTFT is undefined when no content arrived', () => {
    expect(
      ttftMs(record({ firstTokenMs: undefined, chunkMs: [], chunkTokens: [], outputTokens: 0 })),
    ).toBeUndefined();
  });

  it('TTFAT exists only when reasoning came before the answer', () => {
    const reasoning = record({ sentMs: 10, firstTokenMs: 60, firstAnswerMs: 310, endMs: 500 });
    expect(ttfatMs(reasoning)).toBe(300);
    expect(ttftMs(reasoning)).toBe(50);
    expect(ttfatMs(streamed)).toBeUndefined();
  });
});

group('inter-token latency', () => {
  it('divides each gap by the later chunk’s tokens and repeats it once per token', () => {
    // gaps: 50 ms / 1 token, 60 / 2, 90 / 3, 90 / 1; the first chunk's token is covered by TTFT
    expect(itlMs(streamed)).toEqual([50, 30, 30, 30, 30, 30, 90]);
    expect(itlMs(streamed)).toHaveLength(streamed.outputTokens - 1);
  });

  it('sums to last chunk − first chunk and excludes every token of a multi-token first chunk', () => {
    const r = record({ chunkMs: [100, 160, 400], chunkTokens: [4, 3, 2], outputTokens: 9 });
    const values = itlMs(r);
    expect(values).toEqual([20, 20, 20, 120, 120]);
    expect(values.reduce((a, b) => a + b, 0)).toBe(300);
  });

  it('skips chunks without tokens, folding their time into the next gap', () => {
    expect(itlMs(record({ chunkMs: [10, 20, 40], chunkTokens: [1, 0, 2], outputTokens: 3 }))).toEqual([
      15, 15,
    ]);
    expect(itlMs(record({ chunkMs: [10, 20], chunkTokens: [0, 1], outputTokens: 1 }))).toEqual([]);
  });

  it('is empty for zero or one chunk', () => {
    expect(itlMs(record({ chunkMs: [], chunkTokens: [], outputTokens: 0 }))).toEqual([]);
    expect(itlMs(record({ chunkMs: [5], chunkTokens: [7], outputTokens: 7 }))).toEqual([]);
  });

  it('rejects malformed chunk lists, naming the request', () => {
    expect(() => itlMs(record({ requestId: 'r-bad', chunkMs: [1, 2], chunkTokens: [1] }))).toThrow(
      /r-bad.*2.*1/,
    );
    expect(() => itlMs(record({ requestId: 'r-frac', chunkMs: [1, 2], chunkTokens: [1, 1.5] }))).toThrow(
      /r-frac: chunkTokens\[1\] is 1.5/,
    );
    expect(() => itlMs(record({ chunkMs: [1, 2], chunkTokens: [1, -1] }))).toThrow(/chunkTokens\[1\] is -1/);
  });
});

group('TPOT and request throughput', () => {
  it('TPOT = (E2EL − TTFT) / (outputTokens − 1)', () => {
    expect(tpotMs(streamed)).toBeCloseTo(298 / 7, 12);
  });

  it('TPOT is undefined for one output token and defined for two', () => {
    expect(tpotMs(record({ sentMs: 0, firstTokenMs: 40, endMs: 40, outputTokens: 1 }))).toBeUndefined();
    expect(tpotMs(record({ sentMs: 0, firstTokenMs: 40, endMs: 40, outputTokens: 0 }))).toBeUndefined();
    const two = record({ sentMs: 0, firstTokenMs: 40, endMs: 65, chunkMs: [40, 65], chunkTokens: [1, 1] });
    expect(tpotMs({ ...two, outputTokens: 2 })).toBe(25);
  });

  it('request output throughput = outputTokens / E2EL seconds, TTFT included', () => {
    expect(requestOutputTokensPerS(streamed)).toBeCloseTo(8 / 0.398, 9);
    expect(requestOutputTokensPerS(record({ sentMs: 0, endMs: 500, outputTokens: 100 }))).toBe(200);
    expect(requestOutputTokensPerS(record({ sentMs: 5, endMs: 5, outputTokens: 1 }))).toBeUndefined();
  });
});

group('requestSamples', () => {
  it('lists each metric of one request: one value, none, or one per token for ITL', () => {
    expect(requestSamples(streamed)).toEqual({
      ttft_ms: [100],
      ttfat_ms: [],
      tpot_ms: [298 / 7],
      itl_ms: [50, 30, 30, 30, 30, 30, 90],
      e2el_ms: [398],
      request_output_tokens_per_s: [8 / 0.398],
      output_tokens: [8],
      dispatch_lag_ms: [2],
    });
  });
});
