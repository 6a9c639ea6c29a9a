import { describe, expect, it } from 'vitest';
import { buildRunResult } from '../../src/results/build.js';
import { SWEEP_CONFIG as config, sweepRunResult as build } from './sweep-run.js';

describe('buildRunResult', () => {
  const result = build();

  it('summarises each sweep from its points, by load, with goodput and cost', () => {
    expect(result.sweeps).toHaveLength(1);
    const sweep = result.sweeps[0]!;
    expect(sweep.scenario).toBe('chat');
    expect(sweep.parameter).toBe('concurrency');
    expect(sweep.points.map((p) => [p.name, p.value, p.valid])).toEqual([
      ['chat@c1', 1, true],
      ['chat@c2', 2, false],
      ['chat@c4', 4, true],
    ]);
    sweep.points.forEach((p, i) => {
      const summary = result.scenarios[i]!.summary;
      expect(p.outputTokensPerS).toBe(summary.throughput.outputTokensPerS);
      expect(p.ttftP95Ms).toBe(summary.metrics.ttft_ms.p95);
      expect(p.goodputShare).toBe(summary.goodput?.share);
      expect(p.usdPerMillionOutputTokens).toBeCloseTo(
        4e6 / (3600 * (summary.throughput.outputTokensPerS ?? 0)),
        9,
      );
    });
    expect(sweep.slo).toEqual({ ttft_ms: 400, tpot_ms: 20 });
    // TTFT p95 at c1 is about 330 ms (200 ms lognormal), at c4 about 1.3 s: only c1 is within 400 ms
    expect(sweep.points.map((p) => p.sloBreaches)).toEqual([[], ['ttft_ms'], ['ttft_ms']]);
    expect(sweep.capacity?.name).toBe('chat@c1');
  });

  it('gives each point its scenario goodput and cost, and echoes the trims in its load', () => {
    const c1 = result.scenarios[0]!;
    expect(c1.summary.goodput?.slo).toEqual({ ttft_ms: 400, tpot_ms: 20 });
    expect(c1.summary.cost?.basis).toBe('instance');
    expect(c1.load).toMatchObject({ warmupS: 0, cooldownS: 0 });
    expect(result.scenarios[3]!.load).toMatchObject({ warmupS: 1, cooldownS: 1 });
  });

  it('keeps the gate samples to the requests of the steady window', () => {
    const steady = result.scenarios[3]!;
    expect(steady.summary.requests.trimmed).toBeGreaterThan(0);
    expect(steady.summary.requests.measured + steady.summary.requests.trimmed).toBe(120);
    expect(steady.samples.ttft_ms).toHaveLength(steady.summary.requests.ok);
    expect(steady.throughputSample.outputTokens).toHaveLength(steady.summary.requests.measured);
    expect(steady.summary.stability?.outputTokensPerS).toHaveLength(10);
  });

  it('has no sweeps when no scenario sweeps', () => {
    const plain = buildRunResult({
      profile: {
        readiness: { ready: false, waitedMs: 1, coldStart: false, probes: 1 },
        scenarios: [],
        aborted: false,
      },
      config,
      redactedConfig: config,
      toolVersion: '0.0.0-test',
      tokenizer: 't',
      environment: {
        node: 'v20',
        platform: 'linux',
        arch: 'x64',
        cpus: 1,
        cpuModel: 'c',
        totalMemoryBytes: 1,
      },
      startedAt: new Date(0),
      finishedAt: new Date(1000),
    });
    expect(plain.sweeps).toEqual([]);
  });
});
