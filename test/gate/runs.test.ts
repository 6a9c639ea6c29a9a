import { describe, expect, it } from 'vitest';
import { METRIC_IDS } from '../../src/metrics/definitions.js';
import { createRng } from '../../src/gate/stats/rng.js';
import { ratioLogSE, summarizeRun } from '../../src/gate/stats/runs.js';
import { syntheticRun } from './helpers.js';

/** Bootstrap standard error of log(Σ top ÷ Σ bottom) by resampling pairs. */
function bootstrapRatioLogSE(
  top: ArrayLike<number>,
  bottom: ArrayLike<number>,
  replicates: number,
  seed: number,
) {
  const rng = createRng(seed);
  const n = top.length;
  const logs: number[] = [];
  for (let r = 0; r < replicates; r++) {
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      const k = rng.index(n);
      a += top[k] as number;
      b += bottom[k] as number;
    }
    logs.push(Math.log(a / b));
  }
  const mean = logs.reduce((x, y) => x + y, 0) / replicates;
  return Math.sqrt(logs.reduce((x, y) => x + (y - mean) ** 2, 0) / (replicates - 1));
}

describe('ratioLogSE', () => {
  it.each([50, 200, 1000])('agrees with the bootstrap to within 10%% for %s requests', (requests) => {
    const run = syntheticRun({ requests, errors: 2, seed: requests });
    const { outputTokens, busyMs } = run.throughput!;
    const analytic = ratioLogSE(outputTokens, busyMs);
    const bootstrap = bootstrapRatioLogSE(outputTokens, busyMs, 4000, 7);
    expect(Math.abs(analytic / bootstrap - 1)).toBeLessThan(0.1);
  });

  it('is NaN for fewer than 2 entries and rejects misaligned arrays', () => {
    expect(ratioLogSE([1], [2])).toBeNaN();
    expect(() => ratioLogSE([1, 2], [1])).toThrow(/2 numerators but 1 denominators/);
  });
});

describe('summarizeRun', () => {
  it('keeps a distribution per metric, the throughput with its error, and the error count', () => {
    const run = syntheticRun({ errors: 3, seed: 1 });
    const summary = summarizeRun(run);
    expect(Object.keys(summary.distributions).sort()).toEqual(['e2el_ms', 'ttft_ms']);
    expect(summary.distributions.ttft_ms?.n).toBe(197);
    expect(summary.throughput?.value).toBe(Number(run.throughput!.value.toPrecision(4)));
    expect(summary.throughput?.logSe).toBeGreaterThan(0);
    expect(summary.errors).toEqual({ errors: 3, total: 200 });
  });

  it('leaves out a throughput that cannot be compared', () => {
    const run = syntheticRun({ seed: 2 });
    expect(summarizeRun({ ...run, throughput: { ...run.throughput!, value: 0 } }).throughput).toBeUndefined();
  });

  it('stays small: a baseline of 20 runs × 3 scenarios × 6 metrics is well under 200 KB', () => {
    const run = syntheticRun({ seed: 3 });
    const values = run.samples.ttft_ms!;
    // Six per-request metrics with realistic magnitudes (ms, tokens/s, tokens).
    const samples = Object.fromEntries(
      METRIC_IDS.slice(0, 6).map((id, m) => [id, Array.from(values, (v) => v * (m + 1) * 1.37)]),
    );
    const entry = summarizeRun({ ...run, samples });
    const bytes = JSON.stringify(entry).length;
    console.log(
      `baseline size: ${bytes} bytes per run (6 metrics); 20 runs × 3 scenarios ≈ ${((bytes * 60) / 1024).toFixed(0)} KB`,
    );
    expect(bytes).toBeLessThan(1800);
    expect(bytes * 20 * 3).toBeLessThan(120 * 1024);
  });
});
