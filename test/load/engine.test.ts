import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/load/record.js';
import { maxOverlap, median, runAgainstSim } from '../helpers/scenario-run.js';

const measured = (records: readonly RequestRecord[]) => records.filter((r) => !r.warmup);
const categories = (records: readonly RequestRecord[]) =>
  new Set(measured(records).flatMap((r) => (r.error ? [r.error.category] : [])));

describe('closed-loop engine against the simulator', () => {
  it('sends exactly the requested count, flags warmup separately, and never exceeds the concurrency', async () => {
    const { run, truth } = await runAgainstSim({}, { concurrency: 4, requests: 30, warmup_requests: 5 });
    const m = measured(run.records);
    expect(m).toHaveLength(30);
    expect(run.records.filter((r) => r.warmup)).toHaveLength(5);
    expect(new Set(m.map((r) => r.index))).toEqual(new Set(Array.from({ length: 30 }, (_, i) => i)));
    expect(m.every((r) => r.outcome === 'ok')).toBe(true);
    expect(truth).toHaveLength(35);
    // Warmup requests are sent first; the measured phase follows without draining them (steady state).
    const warm = run.records.filter((r) => r.warmup);
    expect(Math.max(...warm.map((r) => r.sentMs))).toBeLessThanOrEqual(run.measuredStartMs);
    expect(Math.min(...m.map((r) => r.sentMs))).toBeGreaterThanOrEqual(run.measuredStartMs - 0.001);
    expect(Math.max(...warm.map((r) => r.endMs))).toBeGreaterThan(run.measuredStartMs);
    // Client side and server side, at most 4 in flight, and the loop really kept 4 going.
    expect(maxOverlap(run.records.map((r) => [r.sentMs, r.endMs]))).toBe(4);
    expect(maxOverlap(truth.map((t) => [t.arrivalMs, t.endMs]))).toBeLessThanOrEqual(4);
    // Every token the server wrote was counted, from usage.
    const byId = new Map(truth.map((t) => [t.requestId, t]));
    for (const r of m) {
      expect(r.outputTokens).toBe(byId.get(r.requestId)?.outputTokens);
      expect(r.outputTokensSource).toBe('usage');
      expect(r.chunkMs).toHaveLength(r.outputTokens);
    }
  });

  it('measures TTFT within a small tolerance of the server-side truth', async () => {
    const { run, truth } = await runAgainstSim({}, { concurrency: 2, requests: 24 });
    const byId = new Map(truth.map((t) => [t.requestId, t]));
    const diffs = measured(run.records).map((r) => {
      const t = byId.get(r.requestId)!;
      const client = r.firstTokenMs! - r.sentMs;
      const server = t.firstTokenMs! - t.arrivalMs;
      return client - server;
    });
    // The client can only see the first token after the server wrote it (same clock: in-process simulator).
    expect(Math.min(...diffs)).toBeGreaterThan(-0.5);
    // Loopback + parsing overhead on a shared machine: generous bound, the benchmark reports the real figure.
    expect(median(diffs)).toBeLessThan(5);
  });

  it.each([
    ['error_rate', 'http_5xx', { error_rate: 1 }],
    ['rate_limit_in_flight', 'http_429', { rate_limit_in_flight: 1 }],
    ['disconnect_rate', 'stream_cut', { disconnect_rate: 1 }],
    ['malformed_rate', 'malformed_event', { malformed_rate: 1 }],
    ['stream_error_rate', 'stream_error', { stream_error_rate: 1 }],
    ['cold_start_s', 'not_ready', { cold_start_s: 60 }],
  ] as const)(
    'fault knob %s becomes error category %s and the run completes',
    async (_name, category, knobs) => {
      const { run } = await runAgainstSim(knobs, { concurrency: 4, requests: 12 });
      expect(measured(run.records)).toHaveLength(12);
      expect(categories(run.records)).toContain(category);
      expect(run.aborted).toBe(false);
    },
  );

  it('counts output tokens with the tokenizer when the server sends no usage', async () => {
    const { run, truth } = await runAgainstSim({ usage: false }, { requests: 8 });
    const byId = new Map(truth.map((t) => [t.requestId, t]));
    for (const r of measured(run.records)) {
      expect(r.outputTokensSource).toBe('tokenizer');
      expect(r.outputTokens).toBe(byId.get(r.requestId)?.outputTokens);
    }
  });

  it('spreads multi-token chunks so every token is counted once', async () => {
    const { run } = await runAgainstSim(
      { tokens_per_chunk: 3 },
      { requests: 6, output_tokens: { mean: 30 } },
    );
    for (const r of measured(run.records)) {
      expect(r.outputTokens).toBe(30);
      expect(r.chunkTokens.reduce((a, b) => a + b, 0)).toBe(30);
      expect(Math.max(...r.chunkTokens)).toBeGreaterThan(1);
    }
  });

  it('categorises per-request timeouts before the first token and during the stream', async () => {
    const before = await runAgainstSim({ step_ms: 400 }, { requests: 2, concurrency: 2, timeout_s: 0.1 });
    expect(categories(before.run.records)).toEqual(new Set(['timeout_before_first_token']));

    const during = await runAgainstSim(
      { step_ms: 20 },
      { requests: 2, concurrency: 2, timeout_s: 0.3, output_tokens: { mean: 200 } },
    );
    expect(categories(during.run.records)).toEqual(new Set(['timeout_during_stream']));
    for (const r of measured(during.run.records)) expect(r.chunkMs.length).toBeGreaterThan(0);
  });

  it('stops sending at the duration deadline and cuts off what is still streaming after the grace period', async () => {
    const { run } = await runAgainstSim(
      { step_ms: 20 },
      {
        requests: undefined,
        duration_s: 0.6,
        grace_s: 0,
        concurrency: 3,
        output_tokens: { mean: 12, stddev: 6 },
      },
    );
    const m = measured(run.records);
    const deadline = run.measuredStartMs + 600;
    expect(Math.max(...m.map((r) => r.sentMs))).toBeLessThanOrEqual(deadline + 1);
    expect(m.filter((r) => r.outcome === 'cut_off').length).toBeGreaterThan(0);
    expect(m.filter((r) => r.outcome === 'ok').length).toBeGreaterThan(0);
    expect(run.endMs).toBeLessThan(deadline + 500);
  });

  it('stops on cancellation, aborts in-flight requests and keeps every finished record', async () => {
    const controller = new AbortController();
    const seen: RequestRecord[] = [];
    const { run } = await runAgainstSim(
      { step_ms: 10 },
      { requests: 200, concurrency: 4, output_tokens: { mean: 20 } },
      {
        signal: controller.signal,
        onRecord: (r) => {
          seen.push(r);
          if (seen.length === 10) controller.abort();
        },
      },
    );
    expect(run.aborted).toBe(true);
    expect(run.records.length).toBeLessThan(200);
    expect(seen).toEqual(run.records);
    expect(run.records.filter((r) => r.outcome === 'ok').length).toBeGreaterThanOrEqual(10);
    const aborted = run.records.filter((r) => r.error?.category === 'aborted');
    expect(aborted.length).toBeGreaterThan(0);
    expect(aborted.length).toBeLessThanOrEqual(4);
  });
});
