/**
 * A sweep as a table (one row per load level: throughput, latency percentiles, error rate, goodput and cost when
 * configured, and notes marking the knee, the capacity, invalid levels and broken SLOs) plus the sentences explaining
 * the knee and the capacity. GitHub-flavoured markdown, which reads as plain text in a terminal too.
 */
import { markdownTable } from 'markdown-table';
import { levelName, type SweepPoint, type SweepSummary } from '../metrics/sweep.js';
import { formatNumber, formatPercent } from './format.js';
import { formatUsd, sloNames, sloText } from './summary-lines.js';

/** "Sweep `chat`: concurrency 1 → 32" (backticks only in markdown). */
export function sweepTitle(sweep: SweepSummary, markdown = false): string {
  const name = markdown ? `\`${sweep.scenario}\`` : sweep.scenario;
  const first = sweep.points[0];
  const last = sweep.points[sweep.points.length - 1];
  const range =
    first === undefined || last === undefined
      ? sweep.parameter
      : `${levelName(sweep.parameter, first.value)} → ${last.value}`;
  return `Sweep ${name}: ${range}`;
}

/** The notes of one row: knee, capacity, invalid, broken objectives. */
export function pointNotes(sweep: SweepSummary, index: number): string[] {
  const p = sweep.points[index] as SweepPoint;
  const notes: string[] = [];
  if (sweep.knee?.index === index) notes.push('knee');
  if (sweep.capacity?.index === index) notes.push('capacity');
  if (!p.valid) notes.push('invalid');
  if (p.sloBreaches !== undefined && p.sloBreaches.length > 0) {
    notes.push(`breaks p95 ${sloNames(p.sloBreaches)}`);
  }
  return notes;
}

export function renderSweepTable(sweep: SweepSummary): string {
  const withSlo = sweep.slo !== undefined;
  const withCost = sweep.points.some((p) => p.usdPerMillionOutputTokens !== undefined);
  const header = [
    sweep.parameter === 'concurrency' ? 'concurrency' : 'rate (req/s)',
    'output tok/s',
    'req/s',
    'TTFT p50 (ms)',
    'TTFT p95 (ms)',
    'TPOT p50 (ms)',
    'TPOT p95 (ms)',
    'E2EL p95 (ms)',
    'errors',
    ...(withSlo ? ['goodput'] : []),
    ...(withCost ? ['$ / 1M output tokens'] : []),
    'notes',
  ];
  const rows = sweep.points.map((p, i) => [
    String(p.value),
    formatNumber(p.outputTokensPerS),
    formatNumber(p.requestsPerS),
    formatNumber(p.ttftP50Ms),
    formatNumber(p.ttftP95Ms),
    formatNumber(p.tpotP50Ms),
    formatNumber(p.tpotP95Ms),
    formatNumber(p.e2elP95Ms),
    formatPercent(p.errorRate),
    ...(withSlo ? [formatPercent(p.goodputShare)] : []),
    ...(withCost ? [formatUsd(p.usdPerMillionOutputTokens)] : []),
    pointNotes(sweep, i).join(', '),
  ]);
  return markdownTable([header, ...rows], {
    align: header.map((_, i) => (i === 0 || i === header.length - 1 ? 'l' : 'r')),
  });
}

/** The sentences under the table: the knee, and the capacity when the scenario has an SLO. */
export function renderSweepNotes(sweep: SweepSummary): string[] {
  const lines = [`Knee: ${sweep.kneeNote}.`];
  if (sweep.slo !== undefined) {
    const within = sloText(sweep.slo, 'p95 ');
    const c = sweep.capacity;
    lines.push(
      c === null || c === undefined
        ? `Capacity: no valid level stays within ${within}.`
        : `Capacity: ${formatNumber(c.outputTokensPerS)} output tok/s at ` +
            `${levelName(sweep.parameter, c.value)}, the highest throughput within ${within}.`,
    );
  }
  return lines;
}
