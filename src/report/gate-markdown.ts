/**
 * The gate's report as Markdown: the sticky PR comment (compact: a table per scenario, a noise line, a chart, details
 * collapsed), the job summary (the same, details open) and a plain variant for terminals. Renders a GateReport; it
 * never decides a verdict.
 */
import { markdownTable } from 'markdown-table';
import type { GateReport, ScenarioGate } from '../gate/compare.js';
import type { GateStatus, Verdict } from '../gate/stats/index.js';
import { metricDefinition, type MetricId } from '../metrics/definitions.js';
import type { SweepSummary } from '../metrics/sweep.js';
import type { RunResult } from '../results/schema.js';
import { describeLoad, formatDuration, formatNumber, formatPercent } from './format.js';
import { renderScenarioTable } from './terminal.js';
import { label } from './metric-label.js';
import { historyChart } from './mermaid.js';
import { costText, goodputText, stabilityText, windowText } from './summary-lines.js';
import { sweepChart } from './sweep-mermaid.js';
import { renderSweepNotes, renderSweepTable, sweepTitle } from './sweep-table.js';

export const STATUS_EMOJI: Readonly<Record<GateStatus, string>> = { pass: '✅', warn: '⚠️', fail: '❌' };
const STATUS_WORD: Readonly<Record<GateStatus, string>> = {
  pass: 'no regression',
  warn: 'inconclusive — see warnings',
  fail: 'regression',
};

export interface GateMarkdownOptions {
  /** comment: compact, details collapsed; summary: details open; text: no HTML, no chart (terminals, logs). */
  readonly variant: 'comment' | 'summary' | 'text';
  /** Link to the workflow run. */
  readonly runUrl?: string;
  /** The commit measured. */
  readonly commit?: string;
  /** Notes shown under the title (e.g. "gate settings read from the base branch", "commenting was not possible"). */
  readonly notes?: readonly string[];
  /** Leave out the collapsed details (every percentile, environment): for bodies that must stay short. */
  readonly omitDetails?: boolean;
}

export function renderGateMarkdown(
  report: GateReport,
  result: RunResult,
  options: GateMarkdownOptions,
): string {
  const html = options.variant !== 'text';
  const parts: string[] = [];
  parts.push(`## ${STATUS_EMOJI[report.status]} llm-perf-gate: ${headline(report)}`);
  parts.push(contextLine(result, options));
  for (const note of options.notes ?? []) parts.push(`> ${note}`);
  if (report.invalidReason)
    parts.push(`> **This run is not comparable:** ${report.invalidReason}. It does not fail the check.`);
  for (const s of report.scenarios)
    parts.push(renderScenarioSection(s, report, result.target, options.variant));
  for (const sweep of result.sweeps) parts.push(renderSweepSection(sweep, options.variant));
  if (options.omitDetails) parts.push('_Every percentile and the environment are in the job summary._');
  else if (html) parts.push(renderDetails(result, report, options.variant === 'summary'));
  else parts.push(renderPlainDetails(result));
  return `${parts.join('\n\n')}\n`;
}

function headline(report: GateReport): string {
  if (report.status === 'fail') {
    const failed = report.scenarios.flatMap((s) =>
      (s.verdict?.verdicts ?? [])
        .filter((v) => v.status === 'fail')
        .map((v) => `${label(v)} in \`${s.name}\``),
    );
    const first = failed.slice(0, 2).join(', ');
    return `${STATUS_WORD.fail}: ${first}${failed.length > 2 ? ` and ${failed.length - 2} more` : ''}`;
  }
  if (report.status === 'pass' && report.scenarios.every((s) => s.kind === 'no-baseline')) {
    return 'no baseline yet';
  }
  return STATUS_WORD[report.status];
}

function contextLine(result: RunResult, options: GateMarkdownOptions): string {
  const { identity, provider, endpoint, model } = result.target;
  const bits = [
    `${identity ? `**${identity}** · ${provider}` : `**${provider}**`} \`${endpoint}\`${model ? ` (${model})` : ''}`,
  ];
  if (options.commit) bits.push(`commit \`${options.commit.slice(0, 7)}\``);
  if (result.readiness.coldStart)
    bits.push(`cold start ${formatDuration(result.readiness.waitedMs)} (not in TTFT)`);
  if (options.runUrl) bits.push(`[workflow run](${options.runUrl})`);
  return bits.join(' · ');
}

function unitOf(v: Verdict): string {
  return metricDefinition(v.metric as MetricId).unit;
}

function valueText(v: Verdict, x: number | null): string {
  if (x === null) return '—';
  return v.scale === 'difference' ? formatPercent(x, 2) : formatNumber(x);
}

function changeText(v: Verdict): string {
  if (v.baseline === null || v.current === null) return '—';
  if (v.scale === 'difference') return `${signed((v.current - v.baseline) * 100, 2)} pts`;
  return v.ratio === null ? '—' : `${signed((v.ratio - 1) * 100, 1)}%`;
}

function ciText(v: Verdict): string {
  if (v.ci === null) return '—';
  const [lo, hi] = v.ci;
  if (v.scale === 'difference') return `${signed(lo * 100, 2)} … ${signed(hi * 100, 2)} pts`;
  return `${signed((lo - 1) * 100, 1)}% … ${signed((hi - 1) * 100, 1)}%`;
}

function toleranceText(v: Verdict): string {
  const rel =
    v.scale === 'difference' ? `±${(v.tolerance * 100).toFixed(2)} pts` : `${Math.round(v.tolerance * 100)}%`;
  if (v.limit === null) return rel;
  const bound = v.direction === 'lower' ? '≤' : '≥';
  const limit = v.scale === 'difference' ? formatPercent(v.limit, 2) : formatNumber(v.limit);
  return `${rel}, ${bound} ${limit}`;
}

function signed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return x > 0 ? `+${s}` : s === `-${(0).toFixed(digits)}` ? (0).toFixed(digits) : s;
}

export function renderVerdictTable(s: ScenarioGate, confidence: number): string {
  const verdicts = s.verdict?.verdicts ?? [];
  const rows = [
    [
      'metric',
      'baseline',
      'this run',
      'change',
      `${Math.round(confidence * 100)}% interval`,
      'tolerance',
      'verdict',
    ],
    ...verdicts.map((v) => [
      `${label(v)} (${unitOf(v)})`,
      valueText(v, v.baseline),
      valueText(v, v.current),
      changeText(v),
      ciText(v),
      toleranceText(v),
      STATUS_EMOJI[v.status],
    ]),
  ];
  return markdownTable(rows, { align: ['l', 'r', 'r', 'r', 'c', 'r', 'c'] });
}

function noiseLine(s: ScenarioGate): string | undefined {
  const v = s.verdict;
  if (!v) return undefined;
  const parts = [`${v.historyRuns} baseline run${v.historyRuns === 1 ? '' : 's'}`];
  if (v.runToRunSpread) {
    parts.push(
      `run-to-run spread of ${figureLabel(v.runToRunSpread)} ${formatPercent(v.runToRunSpread.value)}`,
    );
  } else parts.push('run-to-run spread not yet measured');
  if (v.smallestDetectableRegression) {
    parts.push(
      `smallest detectable regression of ${figureLabel(v.smallestDetectableRegression)} ` +
        formatPercent(v.smallestDetectableRegression.value),
    );
  }
  return `Noise: ${parts.join(' · ')}.`;
}

function figureLabel(f: { metric: Verdict['metric']; statistic: Verdict['statistic'] }): string {
  return label(f);
}

function renderScenarioSection(
  s: ScenarioGate,
  report: GateReport,
  target: RunResult['target'],
  variant: GateMarkdownOptions['variant'],
): string {
  const heading = `### ${STATUS_EMOJI[s.status]} \`${s.name}\``;
  const lines = [heading];
  if (s.message) lines.push(`> ${s.message}`);
  const changed = targetChange(s, target);
  if (changed) lines.push(`> ${changed}`);
  if (s.kind === 'compared' && s.verdict) {
    lines.push(renderVerdictTable(s, report.settings.confidence));
    const noise = noiseLine(s);
    if (noise) lines.push(noise);
    const reasons = s.verdict.verdicts
      .filter((v) => v.status !== 'pass')
      .map((v) => `- ${STATUS_EMOJI[v.status]} ${v.reason}`);
    if (reasons.length > 0) lines.push(reasons.join('\n'));
    if (s.verdict.verdicts.some(beyondToleranceButNoisy)) {
      lines.push(
        '_Inconclusive means the change exceeds the tolerance but could be noise: more requests per run, or ' +
          '`llm-perf-gate calibrate` to measure the run-to-run noise, will settle it._',
      );
    }
    if (variant !== 'text') {
      const chart = historyChart(s);
      if (chart) lines.push(chart);
    }
  } else {
    lines.push(renderPlainFigures(s));
  }
  return lines.join('\n\n');
}

/**
 * A note when the newest baseline run measured another declared identity or model than this run: often the very
 * change under review (a new server version), so it is compared all the same, but the reader should know.
 */
function targetChange(s: ScenarioGate, now: RunResult['target']): string | undefined {
  const last = s.history.at(-1)?.target;
  if (!last) return undefined;
  const differs = (field: 'identity' | 'model'): boolean =>
    last[field] !== undefined && now[field] !== undefined && last[field] !== now[field];
  const field = differs('identity') ? 'identity' : differs('model') ? 'model' : undefined;
  if (!field) return undefined;
  return `the newest baseline run measured ${field} "${last[field]}"; this run measured "${now[field]}"`;
}

/** A sweep: its latency–throughput chart (not in the text variant), its table, and where its knee and capacity are. */
export function renderSweepSection(sweep: SweepSummary, variant: GateMarkdownOptions['variant']): string {
  const chart = variant === 'text' ? undefined : sweepChart(sweep);
  return [
    `### 📈 ${sweepTitle(sweep, true)}`,
    ...(chart ? [chart] : []),
    renderSweepTable(sweep),
    renderSweepNotes(sweep).join('\n'),
  ].join('\n\n');
}

/** The headline figures of a scenario that was not compared. */
function renderPlainFigures(s: ScenarioGate): string {
  const m = s.result.summary.metrics;
  const t = s.result.summary.throughput;
  return (
    `TTFT p50 ${formatNumber(m.ttft_ms.p50)} ms · p95 ${formatNumber(m.ttft_ms.p95)} ms · ` +
    `TPOT p50 ${formatNumber(m.tpot_ms.p50)} ms · ${formatNumber(t.outputTokensPerS)} output tok/s · ` +
    `error rate ${formatPercent(s.result.summary.errorRate)}`
  );
}

function renderDetails(result: RunResult, report: GateReport, open: boolean): string {
  const body = [
    ...report.scenarios.map(
      (s) => `#### \`${s.name}\`\n\n${renderScenarioTable(s.result)}\n\n${scenarioFacts(s)}`,
    ),
    environmentFacts(result),
  ].join('\n\n');
  return `<details${open ? ' open' : ''}>\n<summary>Every percentile, errors and environment</summary>\n\n${body}\n\n</details>`;
}

function renderPlainDetails(result: RunResult): string {
  return environmentFacts(result);
}

function scenarioFacts(s: ScenarioGate): string {
  const r = s.result;
  const errors = Object.entries(r.summary.errorsByCategory)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${c} ${n}`);
  const load = r.load;
  return [
    `- Load: ${describeLoad(load)}, ${load.requests !== undefined ? `${load.requests} requests` : `${load.durationS} s`}` +
      (load.warmupRequests > 0 ? `, ${load.warmupRequests} warmup` : '') +
      windowText(r.summary),
    `- Throughput: ${formatNumber(r.summary.throughput.outputTokensPerS)} output tok/s` +
      `${costText(r.summary.cost)}, ${formatNumber(r.summary.throughput.requestsPerS)} req/s`,
    ...[stabilityText(r.summary.stability), goodputText(r.summary.goodput)].flatMap((line) =>
      line === undefined ? [] : [`- ${line}`],
    ),
    `- Requests: ${r.summary.requests.ok} ok, ${r.summary.requests.errors} failed, ${r.summary.requests.cutOff} cut off` +
      (errors.length > 0 ? ` (${errors.join(', ')})` : ''),
    `- Load generator: event-loop delay p99 ${formatNumber(r.selfCheck.eventLoopDelayMs.p99)} ms, ` +
      `CPU ${formatNumber(r.selfCheck.cpuCores)} cores`,
    `- Workload fingerprint: \`${r.fingerprint.slice(0, 16)}\``,
  ].join('\n');
}

function environmentFacts(result: RunResult): string {
  const e = result.environment;
  return [
    `Environment: llm-perf-gate ${result.tool.version}, Node ${e.node}, ${e.cpus} × ${e.cpuModel}` +
      (e.ci?.runnerName ? `, runner ${e.ci.runnerName}` : '') +
      `; tokenizer ${result.tokenizer}; metric definitions v${result.metricDefinitions.version}.`,
    result.readiness.coldStart
      ? `Cold start: the endpoint answered after ${formatDuration(result.readiness.waitedMs)} (${result.readiness.probes} probes).`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * A WARN from the relative comparison (the change exceeds the tolerance, but not significantly), as opposed to one from
 * an absolute limit: only this kind is settled by more requests or a calibrated history.
 */
function beyondToleranceButNoisy(v: Verdict): boolean {
  if (v.status !== 'warn' || v.baseline === null || v.current === null) return false;
  if (v.scale === 'difference') return v.current - v.baseline > v.tolerance;
  if (v.ratio === null) return false;
  return v.direction === 'lower' ? v.ratio - 1 > v.tolerance : 1 - v.ratio > v.tolerance;
}
