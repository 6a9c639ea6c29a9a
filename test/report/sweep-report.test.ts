/** Sweeps, goodput, stability and cost in the terminal report and the markdown report (key lines, not snapshots). */
import { describe, expect, it } from 'vitest';
import { emptyBaseline } from '../../src/gate/baseline-file.js';
import { compareWithBaseline } from '../../src/gate/compare.js';
import { DEFAULT_GATE_SETTINGS } from '../../src/gate/stats/index.js';
import { summarizeSweep } from '../../src/metrics/sweep.js';
import { renderGateMarkdown, renderSweepSection } from '../../src/report/gate-markdown.js';
import { sweepChart } from '../../src/report/sweep-mermaid.js';
import { renderSweepNotes, renderSweepTable } from '../../src/report/sweep-table.js';
import { renderRun } from '../../src/report/terminal.js';
import { LEVELS } from '../metrics/sweep-levels.js';
import { sweepRunResult } from '../results/sweep-run.js';

const result = sweepRunResult();
const KNEE_SWEEP = summarizeSweep({
  scenario: 'chat',
  parameter: 'concurrency',
  levels: LEVELS,
  slo: { ttft_ms: 500 },
});

/** The cells of the table row whose first cell is `first`. */
function row(text: string, first: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`| ${first} `));
  if (line === undefined) throw new Error(`no row "${first}" in\n${text}`);
  return line
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('the sweep table', () => {
  const table = renderSweepTable(KNEE_SWEEP);

  it('has one row per level with throughput, latencies, goodput, cost and notes', () => {
    expect(row(table, 'concurrency')).toEqual([
      'concurrency',
      'output tok/s',
      'req/s',
      'TTFT p50 (ms)',
      'TTFT p95 (ms)',
      'TPOT p50 (ms)',
      'TPOT p95 (ms)',
      'E2EL p95 (ms)',
      'errors',
      'goodput',
      '$ / 1M output tokens',
      'notes',
    ]);
    expect(row(table, '8')).toEqual([
      '8',
      '1,950',
      '19.5',
      '30.0',
      '39.0',
      '25.0',
      '29.5',
      '1,039',
      '0.0%',
      '—',
      '$1.85',
      'knee',
    ]);
    expect(row(table, '16').at(-1)).toBe('capacity');
    expect(row(table, '32').at(-1)).toBe('breaks p95 TTFT');
  });

  it('explains the knee and the capacity', () => {
    expect(renderSweepNotes(KNEE_SWEEP)).toEqual([
      'Knee: concurrency 8: it reaches 97.0% of the best throughput (at least 90.0%), and concurrency 16 changes it ' +
        'by +2.6% per doubling of load (less than +10.0%).',
      'Capacity: 2,000 output tok/s at concurrency 16, the highest throughput within p95 TTFT ≤ 500 ms.',
    ]);
    const none = summarizeSweep({
      scenario: 'chat',
      parameter: 'rate',
      levels: LEVELS,
      slo: { ttft_ms: 1, tpot_ms: 5 },
    });
    expect(renderSweepNotes(none)[1]).toBe(
      'Capacity: no valid level stays within p95 TTFT ≤ 1 ms, p95 TPOT ≤ 5 ms.',
    );
  });
});

describe('the sweep chart in markdown', () => {
  it('is a mermaid xychart of p95 TTFT over levels labelled with load and throughput, the knee marked', () => {
    expect(sweepChart(KNEE_SWEEP)?.split('\n')).toEqual([
      '```mermaid',
      'xychart-beta',
      '  title "chat: p95 TTFT (ms) by load level and output throughput"',
      '  x-axis ["c1 · 250 tok/s", "c2 · 500 tok/s", "c4 · 1.0k tok/s", "c8 · 1.9k tok/s (knee)", "c16 · 2.0k tok/s", ' +
        '"c32 · 2.0k tok/s"]',
      '  y-axis "p95 TTFT (ms)" 0 --> 1346',
      '  line [19.5, 21.45, 24.38, 39, 390, 1170]',
      '```',
    ]);
  });

  it('goes in the sweep section, except in the text variant', () => {
    const section = renderSweepSection(KNEE_SWEEP, 'summary');
    expect(section.startsWith('### 📈 Sweep `chat`: concurrency 1 → 32\n\n```mermaid\n')).toBe(true);
    expect(section).toContain('| 8           |');
    expect(renderSweepSection(KNEE_SWEEP, 'text')).not.toContain('mermaid');
  });
});

describe('the terminal report', () => {
  const text = renderRun(result);

  it('shows goodput, stability and cost for each point', () => {
    const c1 = result.scenarios[0]!.summary;
    expect(text).toContain(
      `Goodput: ${(c1.goodput!.share! * 100).toFixed(1)}% of 60 requests meet TTFT ≤ 400 ms, TPOT ≤ 20 ms`,
    );
    expect(text).toMatch(/Stability: output tok\/s varies \d+\.\d% \(CV\) over 10 slices of/);
    expect(text).toMatch(/Throughput: 75\.0 output tok\/s \(\$14\.81 per 1M output tokens, instance price\)/);
  });

  it('says what the steady window trimmed', () => {
    expect(text).toMatch(
      /Scenario steady: 120 requests at concurrency 4, measured over [\d.]+ s \(steady window: first 1 s and last 1 s before sending stopped trimmed, \d+ requests left out\)/,
    );
  });

  it('ends with the sweep table and its knee and capacity', () => {
    expect(text).toContain('Sweep chat: concurrency 1 → 4');
    expect(row(text, '2').at(-1)).toBe('invalid, breaks p95 TTFT');
    expect(text).toContain('Knee: none within the sweep: throughput still rises');
    expect(text).toMatch(
      /Capacity: 75\.0 output tok\/s at concurrency 1, the highest throughput within p95 TTFT ≤ 400 ms/,
    );
  });
});

describe('the gate markdown', () => {
  const report = compareWithBaseline(result, emptyBaseline(), DEFAULT_GATE_SETTINGS);

  it('has a sweep section and goodput, stability and cost in the details', () => {
    const markdown = renderGateMarkdown(report, result, { variant: 'summary' });
    expect(markdown).toContain('### 📈 Sweep `chat`: concurrency 1 → 4');
    expect(markdown).toContain('```mermaid\nxychart-beta\n  title "chat: p95 TTFT');
    expect(markdown).toMatch(/- Goodput: [\d.]+% of 60 requests meet TTFT ≤ 400 ms, TPOT ≤ 20 ms/);
    expect(markdown).toMatch(/- Stability: output tok\/s varies/);
    expect(markdown).toContain('($14.81 per 1M output tokens, instance price)');
  });
});
