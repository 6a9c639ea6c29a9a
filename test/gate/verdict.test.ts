import { describe, expect, it } from 'vitest';
import { summarizeRun, type BaselineRun, type CurrentRun } from '../../src/gate/stats/runs.js';
import {
  DEFAULT_GATE_SETTINGS,
  validateGateSettings,
  type GateSettings,
} from '../../src/gate/stats/settings.js';
import { gateScenario, type ScenarioVerdict, type Verdict } from '../../src/gate/stats/verdict.js';
import { syntheticRun, type RunShape } from './helpers.js';

function history(scales: readonly number[], shape: Partial<RunShape> = {}): BaselineRun[] {
  return scales.map((ttftScale, j) =>
    summarizeRun(syntheticRun({ ...shape, ttftScale, decodeScale: ttftScale, seed: 100 + j })),
  );
}

function find(result: ScenarioVerdict, metric: string, statistic?: string): Verdict {
  const verdict = result.verdicts.find(
    (v) => v.metric === metric && (statistic === undefined || v.statistic === statistic),
  );
  if (verdict === undefined) throw new Error(`no verdict for ${metric} ${statistic ?? ''}`);
  return verdict;
}

const STEADY = history([1, 1.02, 0.98, 1.01, 0.99]);
const settings = DEFAULT_GATE_SETTINGS;

describe('gateScenario: relative comparisons', () => {
  it('passes an unchanged run, with the spread and smallest detectable regression measured', () => {
    const result = gateScenario(syntheticRun({ seed: 1 }), STEADY, settings);
    expect(result.status).toBe('pass');
    const p50 = find(result, 'ttft_ms', 'p50');
    expect(p50).toMatchObject({ status: 'pass', noiseSource: 'history', historyRuns: 5, scale: 'ratio' });
    expect(p50.reason).toMatch(/^p50 TTFT changed [+−][\d.]+%, within the 10% tolerance\.$/);
    expect(p50.ci![0]).toBeLessThan(p50.ratio!);
    expect(p50.ci![1]).toBeGreaterThan(p50.ratio!);
    expect(result.runToRunSpread).toEqual({ metric: 'ttft_ms', statistic: 'p50', value: p50.spread });
    expect(result.smallestDetectableRegression?.value).toBeGreaterThan(0.1);
    expect(result.smallestDetectableRegression?.value).toBeLessThan(1);
  });

  it('fails a 50% TTFT regression as significant, on p50 and p95', () => {
    const result = gateScenario(syntheticRun({ ttftScale: 1.5, seed: 2 }), STEADY, settings);
    expect(result.status).toBe('fail');
    for (const statistic of ['p50', 'p95']) {
      const verdict = find(result, 'ttft_ms', statistic);
      expect(verdict.status).toBe('fail');
      expect(verdict.ratio).toBeGreaterThan(1.3);
      expect(verdict.ci![0]).toBeGreaterThan(1);
      expect(verdict.adjustedP).toBeLessThanOrEqual(settings.alpha);
      expect(verdict.reason).toMatch(
        /rose [\d.]+%, beyond the 1\d% tolerance and significant \(adjusted p [<=]/,
      );
    }
  });

  it('warns when the change exceeds the tolerance but the history is too noisy to be sure', () => {
    const noisy = history([1, 1.3, 0.75, 1.15, 0.85]);
    const p50 = find(
      gateScenario(syntheticRun({ ttftScale: 1.2, seed: 3 }), noisy, settings),
      'ttft_ms',
      'p50',
    );
    expect(p50.ratio).toBeGreaterThan(1.1);
    expect(p50.status).toBe('warn');
    expect(p50.adjustedP).toBeGreaterThan(settings.alpha);
    expect(p50.reason).toMatch(/not significant .*calibrate/);
  });

  it('passes improvements: lower latency and higher throughput', () => {
    const result = gateScenario(
      syntheticRun({ ttftScale: 0.6, decodeScale: 0.7, seed: 4 }),
      STEADY,
      settings,
    );
    expect(result.status).toBe('pass');
    const throughput = find(result, 'output_tokens_per_s');
    expect(throughput.direction).toBe('higher');
    expect(throughput.ratio).toBeGreaterThan(1.2);
    expect(throughput.pValue).toBeGreaterThan(0.5);
    expect(throughput.reason).toMatch(/^output throughput changed \+/);
  });

  it('fails a throughput drop beyond its tolerance (higher is better)', () => {
    const throughput = find(
      gateScenario(syntheticRun({ decodeScale: 1.5, seed: 5 }), STEADY, settings),
      'output_tokens_per_s',
    );
    expect(throughput.ratio).toBeLessThan(0.75);
    expect(throughput.status).toBe('fail');
    expect(throughput.reason).toMatch(
      /^output throughput fell [\d.]+%, beyond the 10% tolerance and significant/,
    );
  });

  it('flags a history shorter than minHistoryRuns and assumes the noise floor', () => {
    const short = history([1, 1.01]);
    const result = gateScenario(syntheticRun({ seed: 6 }), short, settings);
    const p50 = find(result, 'ttft_ms', 'p50');
    expect(p50).toMatchObject({
      noiseSource: 'within-run+floor',
      spread: null,
      historyRuns: 2,
      status: 'pass',
    });
    expect(p50.reason).toMatch(/run-to-run noise assumed \(2 of 3 baseline runs\)\.$/);
    expect(result.runToRunSpread).toBeNull();
    const failed = find(
      gateScenario(syntheticRun({ ttftScale: 1.6, seed: 7 }), short, settings),
      'ttft_ms',
      'p50',
    );
    expect(failed.status).toBe('fail');
    expect(failed.noiseSource).toBe('within-run+floor');
  });

  it('sets an outlying baseline run aside', () => {
    const withOutlier = history([1, 1.02, 0.98, 1.01, 0.99, 1.6]);
    const p50 = find(gateScenario(syntheticRun({ seed: 8 }), withOutlier, settings), 'ttft_ms', 'p50');
    expect(p50).toMatchObject({ historyRuns: 5, outlierRuns: 1, status: 'pass' });
  });

  it('needs fewer regressions to be detectable with more history', () => {
    const five = gateScenario(syntheticRun({ seed: 9 }), STEADY, settings).smallestDetectableRegression!
      .value;
    const twenty = gateScenario(
      syntheticRun({ seed: 9 }),
      history(Array.from({ length: 20 }, (_, j) => 1 + 0.02 * Math.sin(j))),
      settings,
    ).smallestDetectableRegression!.value;
    expect(twenty).toBeLessThan(five);
  });

  it('adjusts p-values across the gated metrics (Holm)', () => {
    const result = gateScenario(syntheticRun({ ttftScale: 1.15, seed: 10 }), STEADY, settings);
    for (const verdict of result.verdicts) {
      if (verdict.pValue !== null) expect(verdict.adjustedP).toBeGreaterThanOrEqual(verdict.pValue);
    }
  });

  it('is deterministic: the same inputs give the same verdicts', () => {
    const current = syntheticRun({ ttftScale: 1.12, seed: 11 });
    expect(gateScenario(current, STEADY, settings)).toEqual(gateScenario(current, STEADY, settings));
    const reseeded = gateScenario(current, STEADY, { ...settings, seed: 99 });
    expect(find(reseeded, 'ttft_ms', 'p50').ratio).toBe(
      find(gateScenario(current, STEADY, settings), 'ttft_ms', 'p50').ratio,
    );
  });

  it('warns about a gated metric the run has no values for', () => {
    const run = syntheticRun({ seed: 12 });
    const p50 = find(gateScenario({ ...run, samples: {} }, STEADY, settings), 'ttft_ms', 'p50');
    expect(p50.status).toBe('warn');
    expect(p50.current).toBeNull();
    expect(p50.reason).toMatch(/fewer than 2 values/);
  });
});

describe('gateScenario: absolute limits', () => {
  const withSlo = (limit: number): GateSettings => ({
    ...settings,
    metrics: [{ kind: 'request', metric: 'ttft_ms', statistic: 'p95', tolerance: 0.15, limit }],
  });

  it('fails a p95 well over its SLO even without a baseline', () => {
    const result = gateScenario(syntheticRun({ seed: 13 }), [], withSlo(300));
    const p95 = find(result, 'ttft_ms', 'p95');
    expect(p95.current).toBeGreaterThan(340);
    expect(p95).toMatchObject({ status: 'fail', baseline: null, noiseSource: 'none', limit: 300 });
    expect(p95.reason).toMatch(/^p95 TTFT is \d+ ms, over the 300 ms limit\.$/);
  });

  it('warns when the value is over its SLO by less than the run’s sampling noise', () => {
    const current = syntheticRun({ seed: 13 });
    const p95 = find(gateScenario(current, [], withSlo(300)), 'ttft_ms', 'p95').current!;
    const verdict = find(gateScenario(current, [], withSlo(p95 * 0.98)), 'ttft_ms', 'p95');
    expect(verdict.status).toBe('warn');
    expect(verdict.reason).toMatch(/within this run's sampling noise/);
  });

  it('passes with only a note when there is no baseline and no limit is crossed', () => {
    const result = gateScenario(syntheticRun({ seed: 14 }), [], settings);
    expect(result.status).toBe('pass');
    expect(find(result, 'ttft_ms', 'p50').reason).toBe('p50 TTFT: no baseline yet.');
    expect(result.smallestDetectableRegression).toBeNull();
  });
});

describe('gateScenario: error rate', () => {
  const clean = history([1, 1, 1, 1, 1]); // 5 × 200 requests, no errors

  function errorVerdict(current: CurrentRun, past: BaselineRun[] = clean): Verdict {
    return find(gateScenario(current, past, settings), 'error_rate');
  }

  it('passes with no errors on either side', () => {
    const verdict = errorVerdict(syntheticRun({ seed: 15 }));
    expect(verdict).toMatchObject({
      status: 'pass',
      baseline: 0,
      current: 0,
      ratio: null,
      pValue: 1,
      scale: 'difference',
    });
    expect(verdict.noiseSource).toBe('binomial');
  });

  it('does not turn one error against an error-free baseline into an infinite ratio', () => {
    const verdict = errorVerdict(syntheticRun({ errors: 1, seed: 16 }));
    expect(verdict.status).toBe('pass');
    expect(verdict.ratio).toBeNull();
    expect(verdict.current).toBe(0.005);
    expect(verdict.ci![0]).toBeLessThan(0);
    expect(Number.isFinite(verdict.ci![1])).toBe(true);
  });

  it('fails 5% errors against a 1% maximum', () => {
    const verdict = errorVerdict(syntheticRun({ errors: 10, seed: 17 }));
    expect(verdict.status).toBe('fail');
    expect(verdict.reason).toBe('error rate is 5.0% (10/200), over the 1.0% limit.');
  });

  it('warns when 1.5% errors exceed the maximum by less than the sampling noise', () => {
    // Against a baseline at 1% (2 of 200 per run) the rise is within tolerance; only the limit speaks.
    const verdict = errorVerdict(
      syntheticRun({ errors: 3, seed: 18 }),
      history([1, 1, 1, 1, 1], { errors: 2 }),
    );
    expect(verdict.status).toBe('warn');
    expect(verdict.reason).toMatch(/over the 1\.0% limit, but within sampling noise for 200 requests/);
  });

  it('fails 4 errors in 200 against none in 1000: a significant rise beyond the tolerance', () => {
    const verdict = errorVerdict(syntheticRun({ errors: 4, seed: 18 }));
    expect(verdict.status).toBe('fail');
    expect(verdict.pValue).toBeCloseTo(0.00075242478, 10); // Fisher: C(200,4) ÷ C(1200,4)
    expect(verdict.reason).toMatch(/significantly/);
  });

  it('warns at 3 errors in 200 against none in 1000: beyond the tolerance, not significant after Holm', () => {
    const verdict = errorVerdict(syntheticRun({ errors: 3, seed: 18 }));
    expect(verdict.pValue).toBeCloseTo(0.0045718399, 9); // Fisher: C(200,3) ÷ C(1200,3)
    expect(verdict.adjustedP).toBeGreaterThan(settings.alpha);
    expect(verdict.status).toBe('warn');
  });

  it('fails a significant rise of the rate beyond its tolerance', () => {
    const relativeOnly: GateSettings = {
      ...settings,
      metrics: [{ kind: 'error_rate', metric: 'error_rate', tolerance: 0.01 }],
    };
    const result = gateScenario(syntheticRun({ errors: 12, seed: 19 }), clean, relativeOnly);
    const verdict = find(result, 'error_rate');
    expect(verdict.status).toBe('fail');
    expect(verdict.reason).toMatch(
      /^error rate rose from 0\.0% to 6\.0%, more than 1\.0 points and significantly/,
    );
  });
});

describe('validateGateSettings', () => {
  it('accepts the defaults', () => {
    expect(() => validateGateSettings(DEFAULT_GATE_SETTINGS)).not.toThrow();
  });

  it('names the offending field', () => {
    const bad = (patch: Partial<GateSettings>) => () =>
      validateGateSettings({ ...DEFAULT_GATE_SETTINGS, ...patch });
    expect(bad({ alpha: 0.7 })).toThrow(/alpha must be within/);
    expect(
      bad({ metrics: [{ kind: 'request', metric: 'ttft_ms', statistic: 'p50', tolerance: 1.5 }] }),
    ).toThrow(/metrics\[0\]\.tolerance/);
    expect(
      bad({ metrics: [{ kind: 'request', metric: 'output_tokens', statistic: 'p50', tolerance: 0.1 }] }),
    ).toThrow(/output_tokens.*cannot be gated/);
    expect(
      bad({
        metrics: [
          { kind: 'request', metric: 'ttft_ms', statistic: 'p50', tolerance: 0.1 },
          { kind: 'request', metric: 'ttft_ms', statistic: 'p50', tolerance: 0.2 },
        ],
      }),
    ).toThrow(/metrics\[1\]/);
  });
});
