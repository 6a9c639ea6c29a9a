/**
 * The simulation study (src/gate/stats/study.ts) with the default settings, on the issue's configuration: 200-request
 * runs and a 5-run history, of a dedicated endpoint measured from CI. LPG_STUDY_PAIRS sets the number of
 * history/current pairs per configuration (default 500).
 *
 * Realistic drift: 2% run to run, TTFT lognormal sigma 0.3. GPU server timings of a dedicated endpoint repeat to
 * about 1% and a CI runner adds about 1 ms of client-side noise to TTFTs of tens to hundreds of ms, so 1–2% is what
 * such an endpoint drifts; 2%, the high end, is asserted so that the rates hold over the whole range (1% is in the
 * README's grid). Shared or noisy endpoints (3–5%) are test/gate/study-noisy.test.ts's.
 *
 * Asserted: A/A false-FAIL ≤ 1% (the issue's first number) and power rising with the regression and with the history.
 * Power ≥ 90% at +15% with a 5-run history (the issue's second number) is printed, not asserted: no rule reaches it
 * here. p50 TTFT's within-run noise alone is 1.2533 × 0.3/√200 = 2.7%, and against the mean of 5 runs at 2% drift
 * the difference has a standard deviation of √(0.027² + 0.02² × 1.2 + 0.027²/5) = 3.6%: even with the drift known
 * exactly and significance for free, a +15% shift (log 14.0%) clears the 10% tolerance (log 9.5%) in only
 * Φ((14.0 − 9.5)/3.6) = 89% of runs (92% at 1% drift). And with 5 runs the drift is not known: S² has 4 degrees of
 * freedom, and 1% and 5% drift give overlapping spreads. Over all tests on (difference, S²), a linear program finds
 * at most 79% power at +15% (1% drift) for a p50 verdict that FAILs at most 1% of unchanged runs at any drift up to
 * 5% with this TTFT spread, and 64% at 0.5% (about p50's share of the scenario's 1% at 5% drift); with 10 runs
 * the bound is 92%, with 20 runs 94%.
 */
import { describe, expect, it } from 'vitest';
import type { StudyResult } from '../../src/gate/stats/study.js';
import { PAIRS, studyAndReport } from './study-report.js';

let issue: StudyResult | undefined;

/** The issue's configuration with the study's defaults, run once for both tests. */
function issueStudy(): StudyResult {
  issue ??= studyAndReport('issue: dedicated endpoint', { shifts: [0.1, 0.15, 0.2, 0.3] });
  return issue;
}

function failRate(result: StudyResult, shift: number): number {
  return result.power.find((p) => p.shift === shift)?.fail ?? NaN;
}

describe('gate simulation study: the issue’s configuration (200 requests, 5-run history, 2% drift)', () => {
  it('FAILs at most 1% of unchanged runs, and catches more regressions the larger they are', () => {
    const result = issueStudy();
    expect(result.options).toMatchObject({ requests: 200, historyRuns: 5, drift: 0.02, ttftSigma: 0.3 });
    expect(PAIRS === result.options.pairs && result.options.pairs >= 500).toBe(true);
    expect(result.aa.fail).toBeLessThanOrEqual(0.01);
    expect(result.aa.warn).toBeLessThanOrEqual(0.05);
    const rates = result.power.map((p) => p.fail);
    rates.slice(1).forEach((rate, i) => expect(rate).toBeGreaterThanOrEqual(rates[i] as number));
    expect(failRate(result, 0.3)).toBeGreaterThanOrEqual(0.8);
  }, 120_000);

  it('catches more with a longer history: 10 runs instead of 5', () => {
    const ten = studyAndReport('10-run history', { historyRuns: 10, shifts: [0.15, 0.2] });
    expect(ten.aa.fail).toBeLessThanOrEqual(0.01);
    for (const shift of [0.15, 0.2])
      expect(failRate(ten, shift)).toBeGreaterThan(failRate(issueStudy(), shift));
    expect(failRate(ten, 0.2)).toBeGreaterThanOrEqual(0.8);
  }, 120_000);
});
