import { describe, expect, it } from 'vitest';
import { compareWithBaseline, type GateReport, type ScenarioGate } from '../../src/gate/compare.js';
import {
  DEFAULT_GATE_SETTINGS,
  quantileFromSummary,
  type GateSettings,
  type Verdict,
} from '../../src/gate/stats/index.js';
import { renderGateMarkdown, renderVerdictTable } from '../../src/report/gate-markdown.js';
import { historyChart } from '../../src/report/mermaid.js';
import type { RunResult } from '../../src/results/schema.js';
import { baselineOf, fingerprintOf, syntheticRunResult } from '../helpers/run-result.js';

const settings = DEFAULT_GATE_SETTINGS;
const HISTORY = [1, 2, 3, 4, 5].map((k) =>
  syntheticRunResult({ scenarios: [{ name: 'chat', seed: 100 + k, requests: 150 }] }),
);
const BASELINE = baselineOf(HISTORY);

const equivalent = syntheticRunResult({ scenarios: [{ name: 'chat', seed: 901, requests: 150 }] });
const slower = syntheticRunResult({
  scenarios: [{ name: 'chat', seed: 901, requests: 150, ttftScale: 1.4 }],
});
const PASS = compareWithBaseline(equivalent, BASELINE, settings);
const FAIL = compareWithBaseline(slower, BASELINE, settings);

const render = (report: GateReport, result: RunResult, variant: 'comment' | 'summary' | 'text' = 'comment') =>
  renderGateMarkdown(report, result, { variant });

/** The cells of the table row whose first cell is `first`. */
function row(markdown: string, first: string): string[] {
  const line = markdown.split('\n').find((l) => l.startsWith(`| ${first} `));
  if (line === undefined) throw new Error(`no row "${first}" in\n${markdown}`);
  return line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

function verdict(overrides: Partial<Verdict>): Verdict {
  return {
    metric: 'ttft_ms',
    statistic: 'p50',
    direction: 'lower',
    baseline: 100,
    current: 131,
    ratio: 1.31,
    scale: 'ratio',
    ci: [1.2, 1.43],
    tolerance: 0.1,
    limit: null,
    pValue: 0.0001,
    adjustedP: 0.0003,
    status: 'fail',
    reason: 'p50 TTFT rose 31%, beyond the 10% tolerance and significant (adjusted p < 0.001).',
    noiseSource: 'history',
    historyRuns: 5,
    outlierRuns: 0,
    spread: 0.042,
    smallestDetectable: 0.187,
    ...overrides,
  };
}

/** A compared scenario with hand-set verdicts, to check exact formatting. */
function handReport(verdicts: Verdict[]): { report: GateReport; result: RunResult } {
  const result = equivalent;
  const s: ScenarioGate = {
    name: 'chat',
    kind: 'compared',
    status: 'fail',
    verdict: {
      status: 'fail',
      verdicts,
      historyRuns: 5,
      runToRunSpread: { metric: 'ttft_ms', statistic: 'p50', value: 0.042 },
      smallestDetectableRegression: { metric: 'ttft_ms', statistic: 'p50', value: 0.187 },
    },
    history: BASELINE.scenarios.chat!.runs,
    result: result.scenarios[0]!,
  };
  return { report: { status: 'fail', scenarios: [s], settings, hasBaseline: true }, result };
}

describe('renderGateMarkdown: titles', () => {
  it('says ✅ no regression, ❌ regression naming what failed, ⚠️ inconclusive, and ✅ no baseline yet', () => {
    expect(render(PASS, equivalent)).toMatch(/^## ✅ llm-perf-gate: no regression\n/);
    expect(render(FAIL, slower)).toMatch(
      /^## ❌ llm-perf-gate: regression: TTFT p50 in `chat`, TTFT p95 in `chat`( and 1 more)?\n/,
    );
    const changed = syntheticRunResult({
      scenarios: [{ name: 'chat', seed: 901, requests: 150, fingerprint: fingerprintOf('chat', 'v2') }],
    });
    expect(render(compareWithBaseline(changed, BASELINE, settings), changed)).toMatch(
      /^## ⚠️ llm-perf-gate: inconclusive — see warnings\n/,
    );
    const fresh = compareWithBaseline(equivalent, undefined, settings);
    const text = render(fresh, equivalent);
    expect(text).toMatch(/^## ✅ llm-perf-gate: no baseline yet\n/);
    expect(text).toContain('### ✅ `chat`\n\n> no baseline yet — it will be recorded when this is merged');
    // A scenario that was not compared shows its headline figures instead of a table.
    expect(text).toMatch(
      /TTFT p50 \d+ ms · p95 \d+ ms · TPOT p50 [\d.]+ ms · [\d,]+ output tok\/s · error rate 0\.0%/,
    );
  });

  it('names the measured target, the commit and the workflow run under the title, then the notes', () => {
    const text = renderGateMarkdown(PASS, equivalent, {
      variant: 'comment',
      commit: 'abcdef0123456789',
      runUrl: 'https://github.com/acme/llm/actions/runs/42',
      notes: ['Gate settings read from the base branch (main).', 'Commenting was not possible.'],
    });
    const lines = text.split('\n');
    expect(lines[2]).toBe(
      '**synthetic endpoint** · openai `http://127.0.0.1:8000/v1` (synthetic-8b) · commit `abcdef0` · ' +
        '[workflow run](https://github.com/acme/llm/actions/runs/42)',
    );
    expect(text).toContain(
      '\n\n> Gate settings read from the base branch (main).\n\n> Commenting was not possible.\n\n',
    );
  });

  it('notes when the newest baseline run measured another declared identity, and still compares', () => {
    const upgraded: RunResult = {
      ...equivalent,
      target: { ...equivalent.target, identity: 'vLLM 0.7, 1×L4' },
    };
    const text = render(compareWithBaseline(upgraded, BASELINE, settings), upgraded);
    expect(text.split('\n')[2]).toMatch(/^\*\*vLLM 0\.7, 1×L4\*\* · openai /);
    expect(text).toContain(
      '> the newest baseline run measured identity "synthetic endpoint"; this run measured "vLLM 0.7, 1×L4"',
    );
    expect(row(text, 'TTFT p50 (ms)')).toHaveLength(7);
    expect(render(PASS, equivalent)).not.toContain('the newest baseline run measured');
  });

  it('says a run that did not complete is not comparable and does not fail the check', () => {
    const aborted = syntheticRunResult({
      status: 'aborted',
      scenarios: [{ name: 'chat', seed: 9, requests: 60 }],
    });
    const text = render(compareWithBaseline(aborted, BASELINE, settings), aborted);
    expect(text).toMatch(/^## ⚠️ /);
    expect(text).toContain(
      '> **This run is not comparable:** the run was cancelled before it completed. It does not fail the check.',
    );
    expect(text).toContain('> not compared: the run was cancelled before it completed');
  });
});

describe('renderGateMarkdown: the verdict table', () => {
  it('has a header with the interval level, and formats change, interval and tolerance', () => {
    const { report, result } = handReport([
      verdict({}),
      verdict({
        metric: 'error_rate',
        statistic: 'rate',
        baseline: 0.005,
        current: 0.03,
        ratio: 6,
        scale: 'difference',
        ci: [0.01, 0.04],
        tolerance: 0.01,
        limit: 0.01,
        noiseSource: 'binomial',
        status: 'fail',
        reason: 'error rate is 3.0% (6/200), over the 1.0% limit.',
      }),
      verdict({
        metric: 'output_tokens_per_s',
        statistic: 'value',
        direction: 'higher',
        baseline: 1234.5,
        current: 1200,
        ratio: 1200 / 1234.5,
        ci: [0.95, 1.01],
        limit: 1000,
        status: 'pass',
        reason: 'output throughput changed −2.8%, within the 10% tolerance.',
      }),
    ]);
    const table = renderVerdictTable(report.scenarios[0]!, 0.9);
    expect(
      table
        .split('\n')[0]!
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    ).toEqual(['metric', 'baseline', 'this run', 'change', '90% interval', 'tolerance', 'verdict']);
    const text = render(report, result);
    expect(row(text, 'TTFT p50 (ms)')).toEqual([
      'TTFT p50 (ms)',
      '100',
      '131',
      '+31.0%',
      '+20.0% … +43.0%',
      '10%',
      '❌',
    ]);
    expect(row(text, 'Error rate (ratio)')).toEqual([
      'Error rate (ratio)',
      '0.50%',
      '3.00%',
      '+2.50 pts',
      '+1.00 … +4.00 pts',
      '±1.00 pts, ≤ 1.00%',
      '❌',
    ]);
    expect(row(text, 'Output throughput (tokens/s)')).toEqual([
      'Output throughput (tokens/s)',
      '1,235',
      '1,200',
      '-2.8%',
      '-5.0% … +1.0%',
      '10%, ≥ 1,000',
      '✅',
    ]);
    // Only the verdicts that did not pass get a reason line.
    expect(text).toContain(
      '- ❌ p50 TTFT rose 31%, beyond the 10% tolerance and significant (adjusted p < 0.001).\n' +
        '- ❌ error rate is 3.0% (6/200), over the 1.0% limit.',
    );
    expect(text).not.toContain('output throughput changed');
    expect(text).toContain(
      'Noise: 5 baseline runs · run-to-run spread of TTFT p50 4.2% · smallest detectable regression of TTFT p50 18.7%.',
    );
  });

  it('renders a real comparison: one row per gated metric, the noise line, and reasons for failures only', () => {
    const text = render(FAIL, slower);
    const p50 = row(text, 'TTFT p50 (ms)');
    expect(p50[3]).toMatch(/^\+[3-5]\d\.\d%$/);
    expect(p50[4]).toMatch(/^\+\d+\.\d% … \+\d+\.\d%$/);
    expect(p50[6]).toBe('❌');
    expect(row(text, 'TTFT p95 (ms)')[5]).toBe('15%');
    expect(row(text, 'Error rate (ratio)').slice(1, 4)).toEqual(['0.00%', '0.00%', '0.00 pts']);
    expect(text).toMatch(
      /Noise: 5 baseline runs · run-to-run spread of TTFT p50 \d+\.\d% · smallest detectable regression of TTFT p50 \d+\.\d%\./,
    );
    expect(text).toMatch(/- ❌ p50 TTFT rose \d+%, beyond the 10% tolerance and significant/);
    expect(render(PASS, equivalent)).not.toMatch(/^- (❌|⚠️) /m);
  });

  it('says the noise is not yet measured on a short history', () => {
    const short = compareWithBaseline(equivalent, baselineOf(HISTORY.slice(0, 2)), settings);
    const text = render(short, equivalent);
    expect(text).toContain(
      'Noise: 2 baseline runs · run-to-run spread not yet measured · smallest detectable',
    );
    expect(text).toContain('> the baseline has 2 runs (fewer than 3): run-to-run noise is assumed (5%)');
  });

  it('explains a limit warning by its reason, without the advice meant for noisy relative changes', () => {
    // An absolute limit just under the run's own p50 is past, but within its sampling noise: a warning.
    const p50 = equivalent.scenarios[0]!.summary.metrics.ttft_ms.p50!;
    const withLimit: GateSettings = {
      ...settings,
      metrics: [{ kind: 'request', metric: 'ttft_ms', statistic: 'p50', tolerance: 0.1, limit: p50 * 0.995 }],
    };
    const report = compareWithBaseline(equivalent, BASELINE, withLimit);
    expect(report.status).toBe('warn');
    const text = render(report, equivalent);
    expect(text).toMatch(
      /- ⚠️ p50 TTFT is \d+ ms, over the \d+ ms limit, but within this run's sampling noise\./,
    );
    // A limit's warning is not settled by more requests: the "inconclusive" advice is for relative changes only.
    expect(text).not.toContain('_Inconclusive means');
    expect(render(PASS, equivalent)).not.toContain('_Inconclusive means');
  });
});

describe('renderGateMarkdown: variants and details', () => {
  it('collapses the details in a comment and opens them in the job summary', () => {
    const comment = render(PASS, equivalent, 'comment');
    expect(comment).toContain('<details>\n<summary>Every percentile, errors and environment</summary>');
    expect(comment).not.toContain('<details open>');
    const summary = render(PASS, equivalent, 'summary');
    expect(summary).toContain('<details open>\n<summary>Every percentile, errors and environment</summary>');
    for (const text of [comment, summary]) {
      expect(text).toMatch(/#### `chat`\n\n/);
      expect(text).toMatch(/- Load: concurrency 8, 150 requests, measured over [\d.]+ s/);
      expect(text).toContain(`- Workload fingerprint: \`${fingerprintOf('chat').slice(0, 16)}\``);
      expect(text).toMatch(/Environment: llm-perf-gate [\d.]+, Node v20\.19\.0, 4 × Synthetic CPU/);
      expect(text).toMatch(/<\/details>\n$/);
    }
  });

  it('leaves the details out with omitDetails, pointing to the job summary', () => {
    const text = renderGateMarkdown(FAIL, slower, { variant: 'comment', omitDetails: true });
    expect(text).not.toContain('<details');
    expect(text).not.toContain('Workload fingerprint');
    expect(text).toMatch(/_Every percentile and the environment are in the job summary\._\n$/);
  });

  it('renders plain text without HTML or a chart for terminals', () => {
    const text = render(FAIL, slower, 'text');
    expect(text).not.toMatch(/<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i);
    expect(text).not.toContain('```');
    expect(text).toMatch(/^## ❌ /);
    expect(text).toContain('| metric ');
    expect(text).toMatch(/Environment: llm-perf-gate [\d.]+, Node v20\.19\.0/);
  });
});

describe('the history chart', () => {
  /** The chart's lines between the fences, checked for the xychart-beta grammar GitHub renders. */
  function parseChart(text: string): { title: string; labels: string[]; top: number; bars: number[] } {
    const match = /```mermaid\n([\s\S]*?)\n```/.exec(text);
    if (match === null) throw new Error(`no mermaid block in\n${text}`);
    const lines = match[1]!.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('xychart-beta');
    const title = /^ {2}title "([^"]+)"$/.exec(lines[1]!);
    const xAxis = /^ {2}x-axis (\[.*\])$/.exec(lines[2]!);
    const yAxis = /^ {2}y-axis "ms" 0 --> (\d+(\.\d+)?)$/.exec(lines[3]!);
    const bar = /^ {2}bar (\[[\d., ]+\])$/.exec(lines[4]!);
    expect(title && xAxis && yAxis && bar, lines.join('\n')).toBeTruthy();
    return {
      title: title![1]!,
      labels: JSON.parse(xAxis![1]!) as string[],
      top: Number(yAxis![1]),
      bars: JSON.parse(bar![1]!) as number[],
    };
  }

  it('shows the headline metric over the baseline runs, then this run', () => {
    const chart = parseChart(render(FAIL, slower));
    expect(chart.title).toBe('TTFT p50 (ms): baseline runs, then this run');
    expect(chart.labels).toEqual(['c0ffee1', 'c0ffee2', 'c0ffee3', 'c0ffee4', 'c0ffee5', 'this run']);
    expect(chart.bars).toHaveLength(6);
    const runs = BASELINE.scenarios.chat!.runs;
    runs.forEach((entry, i) => {
      expect(chart.bars[i]).toBeCloseTo(quantileFromSummary(entry.distributions.ttft_ms!, 0.5), 1);
    });
    const current = FAIL.scenarios[0]!.verdict!.verdicts[0]!.current!;
    expect(chart.bars[5]).toBeCloseTo(current, 1);
    expect(chart.bars[5]).toBeGreaterThan(Math.max(...chart.bars.slice(0, 5)) * 1.15);
    expect(chart.top).toBeGreaterThan(Math.max(...chart.bars));
  });

  it('labels runs without a commit (calibrate, manual) by their place in the history', () => {
    const s = FAIL.scenarios[0]!;
    const history = s.history.map(({ commit: _commit, ...entry }, i) => ({
      ...entry,
      id: `calibrate-x-${i}`,
    }));
    const chart = parseChart(historyChart({ ...s, history })!);
    expect(chart.labels).toEqual(['run 1', 'run 2', 'run 3', 'run 4', 'run 5', 'this run']);
    // Only the last 3 shown: numbering keeps their place in the whole history.
    expect(parseChart(historyChart({ ...s, history }, 3)!).labels).toEqual([
      'run 3',
      'run 4',
      'run 5',
      'this run',
    ]);
  });

  it('draws nothing for a scenario with no baseline', () => {
    const fresh = compareWithBaseline(equivalent, undefined, settings);
    expect(historyChart(fresh.scenarios[0]!)).toBeUndefined();
    expect(render(fresh, equivalent)).not.toContain('```mermaid');
  });

  it('keeps a 30-scenario failing report under the 65,536-character comment limit with omitDetails', () => {
    const names = Array.from(
      { length: 30 },
      (_, i) => `long-scenario-name-number-${String(i).padStart(2, '0')}`,
    );
    const runs = [1, 2, 3].map((k) =>
      syntheticRunResult({ scenarios: names.map((name, i) => ({ name, seed: 1000 * k + i, requests: 40 })) }),
    );
    const now = syntheticRunResult({
      scenarios: names.map((name, i) => ({ name, seed: 9000 + i, requests: 40, ttftScale: 1.6, errors: 4 })),
    });
    const report = compareWithBaseline(now, baselineOf(runs), settings);
    expect(report.scenarios.filter((s) => s.status === 'fail')).toHaveLength(30);
    const text = renderGateMarkdown(report, now, { variant: 'comment', omitDetails: true });
    expect(text.match(/```mermaid/g)).toHaveLength(30);
    expect(text.length).toBeLessThan(65_536);
    expect(renderGateMarkdown(report, now, { variant: 'comment' }).length).toBeGreaterThan(text.length);
  });
});
