import { describe, expect, it } from 'vitest';
import { compareWithBaseline, worstStatus, type GateReport } from '../../src/gate/compare.js';
import { DEFAULT_GATE_SETTINGS, type GateSettings } from '../../src/gate/stats/index.js';
import type { RunResult } from '../../src/results/schema.js';
import { baselineOf, fingerprintOf, syntheticRunResult, type ScenarioShape } from '../helpers/run-result.js';

const settings: GateSettings = DEFAULT_GATE_SETTINGS;

/** Five accepted runs of `chat` and `rag` from the same generator, different seeds. */
const HISTORY = [1, 2, 3, 4, 5].map((k) =>
  syntheticRunResult({
    scenarios: [
      { name: 'chat', seed: 100 + k },
      { name: 'rag', seed: 200 + k, requests: 150 },
    ],
  }),
);
const BASELINE = baselineOf(HISTORY);

function current(chat: Partial<ScenarioShape> = {}, rag: Partial<ScenarioShape> = {}): RunResult {
  return syntheticRunResult({
    scenarios: [
      { name: 'chat', seed: 901, ...chat },
      { name: 'rag', seed: 902, requests: 150, ...rag },
    ],
  });
}

function scenario(report: GateReport, name: string) {
  const s = report.scenarios.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no scenario ${name}`);
  return s;
}

describe('compareWithBaseline: what is compared', () => {
  it('passes every scenario with "no baseline yet" when there is no baseline file', () => {
    const report = compareWithBaseline(current(), undefined, settings);
    expect(report.status).toBe('pass');
    expect(report.hasBaseline).toBe(false);
    expect(report.invalidReason).toBeUndefined();
    for (const s of report.scenarios) {
      expect(s).toMatchObject({ kind: 'no-baseline', status: 'pass', history: [] });
      expect(s.message).toMatch(/^no baseline yet — it will be recorded when this is merged/);
      expect(s.message).toMatch(/llm-perf-gate calibrate/);
      expect(s.verdict).toBeUndefined();
    }
  });

  it('passes a scenario the baseline does not have yet, and compares the others', () => {
    const report = compareWithBaseline(
      syntheticRunResult({
        scenarios: [
          { name: 'chat', seed: 901 },
          { name: 'new-one', seed: 903, requests: 60 },
        ],
      }),
      BASELINE,
      settings,
    );
    expect(report.hasBaseline).toBe(true);
    expect(scenario(report, 'new-one')).toMatchObject({ kind: 'no-baseline', status: 'pass' });
    expect(scenario(report, 'new-one').message).toMatch(/no baseline yet/);
    expect(scenario(report, 'chat').kind).toBe('compared');
  });

  it('warns that the workload changed instead of comparing runs of different workloads', () => {
    const report = compareWithBaseline(
      current({ fingerprint: fingerprintOf('chat', 'longer prompts'), ttftScale: 3 }),
      BASELINE,
      settings,
    );
    const chat = scenario(report, 'chat');
    expect(chat).toMatchObject({ kind: 'workload-changed', status: 'warn', history: [] });
    expect(chat.verdict).toBeUndefined();
    expect(chat.message).toContain(
      `the workload changed (fingerprint ${fingerprintOf('chat', 'longer prompts').slice(0, 12)}, ` +
        `baseline ${fingerprintOf('chat').slice(0, 12)})`,
    );
    expect(chat.message).toMatch(/re-recorded when this is merged$/);
    // Three times slower, but not compared: a warning, never a failure.
    expect(report.status).toBe('warn');
  });

  it('warns on every scenario of a run whose endpoint never became ready, and says why', () => {
    const result = syntheticRunResult({
      status: 'not_ready',
      scenarios: [
        { name: 'chat', seed: 901 },
        { name: 'rag', seed: 902, requests: 150 },
      ],
    });
    const report = compareWithBaseline(result, BASELINE, settings);
    expect(report.invalidReason).toBe('the endpoint never became ready: connect ECONNREFUSED');
    expect(report.status).toBe('warn');
    for (const s of report.scenarios) {
      expect(s).toMatchObject({ kind: 'invalid-run', status: 'warn', history: [] });
      expect(s.message).toBe('not compared: the endpoint never became ready: connect ECONNREFUSED');
    }
  });

  it('warns, not passes, when a not_ready run has no scenarios at all (as `run` writes it)', () => {
    // runProfile returns no scenarios when the endpoint never became ready: the report must still not say "pass".
    const result = syntheticRunResult({ status: 'not_ready', scenarios: [] });
    expect(result.scenarios).toEqual([]);
    const report = compareWithBaseline(result, BASELINE, settings);
    expect(report.invalidReason).toMatch(/^the endpoint never became ready/);
    expect(report.status).toBe('warn');
  });

  it('warns on every scenario of a cancelled run, even a regressed one', () => {
    const result = syntheticRunResult({
      status: 'aborted',
      scenarios: [
        { name: 'chat', seed: 901, ttftScale: 2 },
        { name: 'rag', seed: 902, requests: 150, aborted: true },
      ],
    });
    const report = compareWithBaseline(result, BASELINE, settings);
    expect(report.invalidReason).toBe('the run was cancelled before it completed');
    expect(report.status).toBe('warn');
    expect(report.scenarios.map((s) => [s.kind, s.status])).toEqual([
      ['invalid-run', 'warn'],
      ['invalid-run', 'warn'],
    ]);
  });

  it('warns that an invalid point is not trustworthy, naming the reason, and compares its siblings', () => {
    const report = compareWithBaseline(current({}, { eventLoopDelayP99Ms: 60 }), BASELINE, settings);
    const rag = scenario(report, 'rag');
    expect(rag).toMatchObject({ kind: 'invalid-run', status: 'warn' });
    expect(rag.message).toMatch(
      /^not compared: the measurement is not trustworthy: the load generator's event loop ran 60\.0 ms late/,
    );
    expect(report.invalidReason).toBeUndefined();
    expect(scenario(report, 'chat')).toMatchObject({ kind: 'compared', status: 'pass' });
    expect(report.status).toBe('warn');
  });

  it('warns that a cancelled scenario of a complete run was not compared', () => {
    const result = current();
    const report = compareWithBaseline(
      { ...result, scenarios: result.scenarios.map((s, i) => (i === 0 ? { ...s, aborted: true } : s)) },
      BASELINE,
      settings,
    );
    expect(scenario(report, 'chat').message).toBe(
      'not compared: the scenario was cancelled before it completed',
    );
  });

  it('treats a scenario whose history is empty as having no baseline', () => {
    const empty = {
      ...BASELINE,
      scenarios: { ...BASELINE.scenarios, chat: { ...BASELINE.scenarios.chat!, runs: [] } },
    };
    expect(scenario(compareWithBaseline(current(), empty, settings), 'chat').kind).toBe('no-baseline');
  });
});

describe('compareWithBaseline: verdicts', () => {
  it('passes a run from the same generator, with the history and a measured noise level', () => {
    const report = compareWithBaseline(current(), BASELINE, settings);
    expect(report.status).toBe('pass');
    const chat = scenario(report, 'chat');
    expect(chat.kind).toBe('compared');
    expect(chat.message).toBeUndefined();
    expect(chat.history.map((h) => h.id)).toEqual(['run-1', 'run-2', 'run-3', 'run-4', 'run-5']);
    expect(chat.verdict!.historyRuns).toBe(5);
    expect(chat.verdict!.verdicts.map((v) => `${v.metric} ${v.statistic} ${v.status}`)).toEqual([
      'ttft_ms p50 pass',
      'ttft_ms p95 pass',
      'output_tokens_per_s value pass',
      'error_rate rate pass',
    ]);
    const p50 = chat.verdict!.verdicts[0]!;
    expect(p50.noiseSource).toBe('history');
    expect(p50.ratio!).toBeGreaterThan(0.9);
    expect(p50.ratio!).toBeLessThan(1.1);
    expect(chat.verdict!.runToRunSpread?.value).toBeGreaterThan(0);
  });

  it('fails a run whose TTFT is 40% slower, naming the metrics', () => {
    const report = compareWithBaseline(current({ ttftScale: 1.4 }), BASELINE, settings);
    expect(report.status).toBe('fail');
    const chat = scenario(report, 'chat');
    expect(chat.status).toBe('fail');
    const [p50, p95] = chat.verdict!.verdicts;
    expect(p50).toMatchObject({ metric: 'ttft_ms', statistic: 'p50', status: 'fail', direction: 'lower' });
    expect(p50!.ratio!).toBeGreaterThan(1.25);
    expect(p50!.ratio!).toBeLessThan(1.6);
    expect(p50!.ci![0]).toBeGreaterThan(1.1);
    expect(p50!.reason).toMatch(/^p50 TTFT rose \d+%, beyond the 10% tolerance and significant/);
    expect(p95!.status).toBe('fail');
    // The untouched scenario still passes: a regression in one scenario is reported where it is.
    expect(scenario(report, 'rag').status).toBe('pass');
  });

  it('fails on a rise of the error rate beyond a point, compared as a difference of rates', () => {
    const report = compareWithBaseline(current({ errors: 12 }), BASELINE, settings);
    const errors = scenario(report, 'chat').verdict!.verdicts.find((v) => v.metric === 'error_rate')!;
    expect(errors).toMatchObject({ scale: 'difference', baseline: 0, current: 0.06, status: 'fail' });
    expect(report.status).toBe('fail');
  });

  it('caveats a short history: noise is assumed, not measured', () => {
    const short = baselineOf(HISTORY.slice(0, 2));
    const report = compareWithBaseline(current(), short, settings);
    const chat = scenario(report, 'chat');
    expect(chat.kind).toBe('compared');
    expect(chat.message).toBe(
      'the baseline has 2 runs (fewer than 3): run-to-run noise is assumed (5%), not measured — ' +
        'run `llm-perf-gate calibrate` for a measured noise level',
    );
    expect(chat.verdict!.verdicts[0]!.noiseSource).toBe('within-run+floor');
    expect(chat.verdict!.runToRunSpread).toBeNull();
    const one = scenario(compareWithBaseline(current(), baselineOf(HISTORY.slice(0, 1)), settings), 'chat');
    expect(one.message).toMatch(/^the baseline has 1 run \(fewer than 3\)/);
  });

  it('is the worst of its scenarios, and deterministic', () => {
    const mixed = syntheticRunResult({
      scenarios: [
        { name: 'chat', seed: 901, ttftScale: 1.4 },
        { name: 'rag', seed: 902, requests: 150, fingerprint: fingerprintOf('rag', 'v2') },
        { name: 'fresh', seed: 903, requests: 60 },
      ],
    });
    const report = compareWithBaseline(mixed, BASELINE, settings);
    expect(report.scenarios.map((s) => s.status)).toEqual(['fail', 'warn', 'pass']);
    expect(report.status).toBe('fail');
    const again = compareWithBaseline(mixed, BASELINE, settings);
    expect(again.scenarios.map((s) => s.verdict?.verdicts)).toEqual(
      report.scenarios.map((s) => s.verdict?.verdicts),
    );

    const noFail = syntheticRunResult({
      scenarios: mixed.scenarios.slice(1).map((s, i) => ({
        name: s.name,
        seed: 902 + i,
        requests: i === 0 ? 150 : 60,
        fingerprint: s.fingerprint,
      })),
    });
    expect(compareWithBaseline(noFail, BASELINE, settings).status).toBe('warn');
  });

  it('worstStatus orders pass < warn < fail', () => {
    expect(worstStatus([])).toBe('pass');
    expect(worstStatus(['pass', 'warn', 'pass'])).toBe('warn');
    expect(worstStatus(['warn', 'fail', 'pass'])).toBe('fail');
  });
});
