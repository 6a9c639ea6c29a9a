/**
 * The simulation study with the default settings on shared or noisy endpoints: 3–5% run-to-run drift, TTFT sigma
 * 0.4–0.5, histories of 3 to 20 runs. The trust property: unchanged scenarios FAIL at most 1% of the time however
 * noisy the endpoint (a gate that cries wolf gets switched off). Only A/A is run here, to keep the suite fast; power
 * is lower on such endpoints, and the README's grid reports it. LPG_STUDY_PAIRS sets the number of pairs per configuration (default 500).
 */
import { describe, expect, it } from 'vitest';
import { studyAndReport } from './study-report.js';

const NOISY = [
  { historyRuns: 3, drift: 0.05, ttftSigma: 0.4 },
  { historyRuns: 5, drift: 0.05, ttftSigma: 0.5 },
  { historyRuns: 10, drift: 0.05, ttftSigma: 0.4 },
  { historyRuns: 20, drift: 0.03, ttftSigma: 0.5 },
] as const;

describe('gate simulation study: shared or noisy endpoints', () => {
  for (const [index, config] of NOISY.entries()) {
    const name = `${config.historyRuns} runs, drift ${100 * config.drift}%, sigma ${config.ttftSigma}`;
    it(`FAILs at most 1% of unchanged runs: ${name}`, () => {
      const result = studyAndReport(`noisy: ${name}`, { ...config, shifts: [], seed: 10 + index });
      expect(result.options.pairs).toBeGreaterThanOrEqual(500);
      expect(result.aa.fail).toBeLessThanOrEqual(0.01);
    }, 120_000);
  }
});
