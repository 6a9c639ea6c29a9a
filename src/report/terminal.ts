/**
 * Plain-text rendering of a run for the terminal and CI logs: one percentile table per load point with its
 * throughput, goodput, stability and cost, then one table per sweep with its knee and capacity.
 */
import { markdownTable } from 'markdown-table';
import { metricDefinition, type MetricId } from '../metrics/definitions.js';
import type { RunResult, ScenarioResult } from '../results/schema.js';
import { describeLoad, formatDuration, formatNumber, formatPercent } from './format.js';
import { costText, goodputText, stabilityText, windowText } from './summary-lines.js';
import { renderSweepNotes, renderSweepTable, sweepTitle } from './sweep-table.js';

/** Rows of the percentile table, in reading order. TTFAT and dispatch lag appear only when they have values. */
const TABLE_METRICS: readonly MetricId[] = [
  'ttft_ms',
  'ttfat_ms',
  'tpot_ms',
  'itl_ms',
  'e2el_ms',
  'request_output_tokens_per_s',
  'output_tokens',
];

export function renderScenarioTable(s: ScenarioResult): string {
  const rows: string[][] = [['metric', 'p50', 'p90', 'p95', 'p99', 'mean', 'stddev', 'min', 'max', 'n']];
  for (const id of TABLE_METRICS) {
    const d = s.summary.metrics[id];
    if (d.count === 0 && (id === 'ttfat_ms' || id === 'tpot_ms')) continue;
    const def = metricDefinition(id);
    rows.push([
      `${def.name} (${def.unit})`,
      formatNumber(d.p50),
      formatNumber(d.p90),
      formatNumber(d.p95),
      formatNumber(d.p99),
      formatNumber(d.mean),
      formatNumber(d.stddev),
      formatNumber(d.min),
      formatNumber(d.max),
      String(d.count),
    ]);
  }
  return markdownTable(rows, { align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'] });
}

export function renderScenario(s: ScenarioResult): string {
  const { summary } = s;
  const load = s.load;
  const size = load.requests !== undefined ? `${load.requests} requests` : `${load.durationS} s`;
  const lines = [
    `Scenario ${s.name}: ${size} at ${describeLoad(load)}` +
      (load.warmupRequests > 0 ? ` after ${load.warmupRequests} warmup` : '') +
      windowText(summary) +
      (s.aborted ? ' — ABORTED' : ''),
    '',
    renderScenarioTable(s),
    '',
    `Throughput: ${formatNumber(summary.throughput.outputTokensPerS)} output tok/s` +
      `${costText(summary.cost)}, ${formatNumber(summary.throughput.requestsPerS)} req/s, ` +
      `${formatNumber(summary.throughput.totalTokensPerS)} total tok/s`,
    ...optional(stabilityText(summary.stability), goodputText(summary.goodput)),
    `Requests: ${summary.requests.ok} ok, ${summary.requests.errors} failed, ${summary.requests.cutOff} cut off ` +
      `(error rate ${formatPercent(summary.errorRate)})${errorBreakdown(s)}`,
    tokenLine(s),
    `Load generator: event-loop delay p99 ${formatNumber(s.selfCheck.eventLoopDelayMs.p99)} ms, ` +
      `CPU ${formatNumber(s.selfCheck.cpuCores)} cores, peak RSS ${Math.round(s.selfCheck.peakRssBytes / 2 ** 20)} MiB`,
  ];
  return lines.join('\n');
}

function optional(...lines: (string | undefined)[]): string[] {
  return lines.filter((line): line is string => line !== undefined);
}

function errorBreakdown(s: ScenarioResult): string {
  const parts = Object.entries(s.summary.errorsByCategory)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c} ${n}`);
  return parts.length > 0 ? `: ${parts.join(', ')}` : '';
}

function tokenLine(s: ScenarioResult): string {
  const t = s.summary.tokens;
  const src = t.outputTokensSource;
  const sources = Object.entries(src)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const cmp = t.usageVsTokenizer;
  const discrepancy =
    cmp.compared > 0
      ? `; usage vs tokenizer differ on ${formatPercent(cmp.differingShare)} of requests (mean ${formatPercent(cmp.meanRelativeDiff)})`
      : '';
  const multi =
    t.chunks.multiToken > 0
      ? `; ${formatPercent(t.chunks.multiTokenShare)} of chunks carried several tokens`
      : '';
  return `Output tokens from: ${sources || 'none'}${discrepancy}${multi}`;
}

export function renderRun(result: RunResult): string {
  const head =
    `llm-perf-gate ${result.tool.version} — ${result.target.provider} ${result.target.endpoint}` +
    (result.target.model ? ` (${result.target.model})` : '');
  const ready = result.readiness.coldStart
    ? `Endpoint became ready after ${formatDuration(result.readiness.waitedMs)} (cold start, ${result.readiness.probes} probes; not counted in TTFT)`
    : undefined;
  const sweeps = result.sweeps.map((sweep) =>
    [sweepTitle(sweep), '', renderSweepTable(sweep), '', ...renderSweepNotes(sweep)].join('\n'),
  );
  return [
    head,
    ...(ready ? [ready] : []),
    '',
    ...result.scenarios.map(renderScenario).flatMap((s) => [s, '']),
    ...sweeps.flatMap((s) => [s, '']),
  ]
    .join('\n')
    .trimEnd();
}
